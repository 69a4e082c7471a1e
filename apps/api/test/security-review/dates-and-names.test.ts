/**
 * Security review (issue 10):
 * - item 6: dates in year 0000 passed the date schema and the cursor check, then failed in
 *   PostgreSQL as a 500 (audit.list from/to, teams.list cursors, teams.update
 *   lastPaymentAt). Every date input is now inside core's storable range, a field error.
 * - item 11: names accepted bidi overrides (U+202E) and zero-width characters. Every name
 *   field (org, team, user, product, region, key, service token) refuses Unicode format
 *   and control characters with a field error (core names.ts `zName`).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INVISIBLE_CHARACTER_MESSAGE } from "@gatehouse/core";
import {
  call,
  insertRegion,
  insertSession,
  insertTeam,
  insertUser,
  type Credentials,
  type Out,
} from "../harness.ts";
import { snapshotDatabase } from "../hardening/support/db-snapshot.ts";
import { startHardeningServer, type HardeningServer } from "../hardening/support/server.ts";

let h: HardeningServer;
let admin: Credentials;
let teamId: string;
let userId: string;
let regionId: string;

beforeAll(async () => {
  h = await startHardeningServer();
  admin = {
    cookie: await insertSession(
      h,
      await insertUser(h.db, { email: "admin@review.example.com", isSystemAdmin: true }),
    ),
  };
  userId = await insertUser(h.db, { email: "someone@review.example.com" });
  teamId = await insertTeam(h.db, { name: "Review team", organizationId: null });
  regionId = (await insertRegion(h.db, { name: "review region", url: "http://127.0.0.1:9" })).id;
  await h.db.prisma.auditEvent.create({
    data: { action: "test.seed", targetType: "team", targetId: teamId },
  });
});
afterAll(() => h?.close());

const cursorOf = (parts: string[]): string =>
  Buffer.from(JSON.stringify(parts), "utf8").toString("base64url");

describe("item 6: dates outside what PostgreSQL stores are field errors, never 500", () => {
  const year0 = "0000-01-01T00:00:00Z";
  const cases: Array<[string, "query" | "mutation", () => unknown, string]> = [
    ["audit.list", "query", () => ({ from: year0 }), "from"],
    ["audit.list", "query", () => ({ to: year0 }), "to"],
    [
      "audit.list",
      "query",
      () => ({
        cursor: cursorOf(["createdAt", "desc", "0000-01-01T00:00:00.000Z", crypto.randomUUID()]),
      }),
      "cursor",
    ],
    [
      "teams.list",
      "query",
      () => ({
        cursor: cursorOf(["createdAt", "desc", "0000-06-01T00:00:00.000Z", crypto.randomUUID()]),
      }),
      "cursor",
    ],
    [
      "teams.list",
      "query",
      () => ({
        sortOrder: "asc",
        cursor: cursorOf(["createdAt", "asc", "0000-06-01T00:00:00.000Z", crypto.randomUUID()]),
      }),
      "cursor",
    ],
    ["teams.update", "mutation", () => ({ teamId, lastPaymentAt: year0 }), "lastPaymentAt"],
    [
      "teams.update",
      "mutation",
      () => ({ teamId, lastPaymentAt: "1969-12-31T23:59:59Z" }),
      "lastPaymentAt",
    ],
  ];
  for (const [path, type, input, field] of cases) {
    it(`${path} ${JSON.stringify(input()).slice(0, 80)} -> 400 on ${field}`, async () => {
      const res = await call(h.url, type, path, input(), { credentials: admin });
      expect(res.status).toBe(400);
      expect(Object.keys(res.error?.data.fieldErrors ?? {})).toEqual([field]);
    });
  }

  it("dates inside the range still work", async () => {
    const audit = await call(
      h.url,
      "query",
      "audit.list",
      { from: "1970-01-01T00:00:00Z", to: "9999-12-31T23:59:59Z" },
      { credentials: admin },
    );
    expect(audit.status).toBe(200);
    const update = await call<Out<"teams.update">>(
      h.url,
      "mutation",
      "teams.update",
      { teamId, lastPaymentAt: "2026-01-31T12:00:00Z" },
      { credentials: admin },
    );
    expect(update.status).toBe(200);
    expect(update.data.lastPaymentAt).toBe("2026-01-31T12:00:00.000Z");
  });
});

describe("item 11: names refuse format and control characters", () => {
  const bad = [
    ["a right-to-left override", "Acme\u202Egpj.exe"],
    ["a zero-width space", "Ac\u200Bme"],
    ["a zero-width joiner between letters", "Ac\u200Dme"],
    ["a control character", "Ac\u0007me"],
  ] as const;
  const procedures: Array<[string, (name: string) => unknown]> = [
    ["orgs.create", (name) => ({ name })],
    ["teams.create", (name) => ({ name })],
    ["teams.update", (name) => ({ teamId, name })],
    [
      "users.create",
      (name) => ({
        email: `n${Math.random().toString(36).slice(2)}@review.example.com`,
        name,
        password: "long enough password",
      }),
    ],
    ["users.update", (name) => ({ userId, name })],
    ["products.create", (name) => ({ name })],
    [
      "regions.create",
      (name) => ({
        name,
        litellmBaseUrl: "http://127.0.0.1:9",
        litellmMasterKey: "sk-review-master",
      }),
    ],
    ["regions.update", (name) => ({ regionId, name })],
    ["keys.create", (name) => ({ teamId, name, regionId })],
    ["serviceTokens.create", (name) => ({ name, scope: "admin" })],
  ];
  for (const [what, text] of bad) {
    it(`${what} is a field error on every name field, and changes nothing`, async () => {
      const before = await snapshotDatabase(h.db.pool);
      for (const [path, input] of procedures) {
        const res = await call(h.url, "mutation", path, input(text), { credentials: admin });
        expect(res.status, path).toBe(400);
        expect(Object.keys(res.error?.data.fieldErrors ?? {}), path).toEqual(["name"]);
      }
      expect(await snapshotDatabase(h.db.pool)).toEqual(before);
    });
  }

  it("the message says why (free-text names; ASCII-only names fail their pattern as well)", async () => {
    const res = await call(
      h.url,
      "mutation",
      "orgs.create",
      { name: "Acme\u202Egpj.exe" },
      { credentials: admin },
    );
    expect(res.error?.data.fieldErrors).toEqual({ name: [INVISIBLE_CHARACTER_MESSAGE] });
  });

  it("visible scripts, combining marks and emoji ZWJ sequences are still accepted", async () => {
    const name = "👩‍👩‍👧‍👦 e\u0301 שלום";
    const res = await call<Out<"orgs.create">>(
      h.url,
      "mutation",
      "orgs.create",
      { name },
      { credentials: admin },
    );
    expect(res.status).toBe(200);
    expect(res.data.name).toBe(name);
  });
});
