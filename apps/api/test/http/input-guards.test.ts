/**
 * Input the schemas accept in shape but the database or the handlers cannot take, one
 * deterministic case each, on both backends (the property test in fuzz.test.ts finds the
 * general case):
 * - text the database cannot store (a NUL character: PostgreSQL refuses it; an unpaired
 *   surrogate: Prisma's engine refuses to encode it) is a field-level 400 for every
 *   procedure (src/trpc/init.ts rejectUnstorableText), not a 500 from deep in a query;
 * - an error on a field named "__proto__" (or "constructor") is a 400 naming it: the error
 *   formatter must not read Object.prototype (src/trpc/init.ts fieldErrorsOf);
 * - a BAD_REQUEST raised by a handler (an unreadable cursor) names its field from the
 *   domain error's details (src/trpc/init.ts domainFieldErrors), and a forged cursor is a
 *   400 naming the cursor;
 * - dates outside what PostgreSQL stores (year 0000: audit.list from/to, teams.list
 *   cursors, teams.update lastPaymentAt) are field errors inside core's storable range;
 * - every name field (org, team, user, product, region, key, service token) refuses Unicode
 *   format and control characters such as bidi overrides and zero-width characters (core
 *   names.ts `zName`).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INVISIBLE_CHARACTER_MESSAGE } from "@gatehouse/core";
import { type Harness, startHarness } from "../support/harness.ts";
import { call, type Credentials, type Out } from "../support/http.ts";
import { insertRegion, insertSession, insertTeam, insertUser } from "../support/fixtures.ts";
import { snapshotDatabase } from "../support/db-snapshot.ts";

let h: Harness;
let admin: Credentials;
let teamId: string;
let userId: string;
let regionId: string;

beforeAll(async () => {
  h = await startHarness({ serialPglite: true });
  admin = {
    cookie: await insertSession(
      h,
      await insertUser(h.db, { email: "admin@guards.example.com", isSystemAdmin: true }),
    ),
  };
  userId = await insertUser(h.db, { email: "someone@guards.example.com" });
  teamId = await insertTeam(h.db, { name: "Guards team", organizationId: null });
  regionId = (await insertRegion(h.db, { name: "guards region", url: "http://127.0.0.1:9" })).id;
  await h.db.prisma.organization.create({ data: { name: "Guards Org" } });
  await h.db.prisma.auditEvent.create({
    data: { action: "test.seed", targetType: "team", targetId: teamId },
  });
});
afterAll(() => h?.close());

const unstorable = [
  ["a NUL character", "bad\u0000name"],
  ["an unpaired high surrogate", "bad\ud800name"],
  ["an unpaired low surrogate", "\udfffbad"],
] as const;

describe("text the database cannot store", () => {
  for (const [what, text] of unstorable) {
    it(`${what} is a field-level 400 in queries (raw SQL and Prisma alike)`, async () => {
      for (const [path, input] of [
        ["teams.list", { name: text }],
        ["orgs.list", { search: text }],
        ["users.list", { search: text }],
        ["audit.list", { action: text }],
      ] as const) {
        const res = await h.query(path, input, { credentials: admin });
        expect(res.status, path).toBe(400);
        expect(res.error?.data.fieldErrors, path).toEqual({
          [Object.keys(input)[0]!]: [expect.stringMatching(/valid Unicode/)],
        });
        expect(res.error?.data.requestId, path).toBe(res.headers.get("x-request-id"));
      }
    });

    it(`${what} is a field-level 400 in mutations, public ones included, and changes nothing`, async () => {
      const before = await snapshotDatabase(h.db.pool);
      const login = await h.mutation("auth.login", {
        email: `x${text}@guards.example.com`,
        password: "whatever!!",
      });
      expect(login.status).toBe(400);
      expect(Object.keys(login.error?.data.fieldErrors ?? {})).toEqual(["email"]);
      const created = await h.mutation("orgs.create", { name: text }, { credentials: admin });
      expect(created.status).toBe(400);
      expect(Object.keys(created.error?.data.fieldErrors ?? {})).toEqual(["name"]);
      // Nested values and keys are checked too.
      const nested = await h.mutation(
        "products.create",
        { name: "p", limits: { [text]: 1 } },
        { credentials: admin },
      );
      expect(nested.status).toBe(400);
      expect(await snapshotDatabase(h.db.pool)).toEqual(before);
    });
  }

  // Bidi overrides (U+202E) are refused in names (see "names refuse format and control
  // characters" below); right-to-left letters are not.
  it("well-formed text outside the BMP (emoji ZWJ sequences), RTL letters and combining characters are accepted", async () => {
    const name = "👩‍👩‍👧‍👦 e\u0301 שלום";
    const res = await h.mutation<Out<"orgs.create">>(
      "orgs.create",
      { name },
      { credentials: admin },
    );
    expect(res.status).toBe(200);
    expect(res.data.name).toBe(name);
  });
});

describe("error formatting", () => {
  it('an error on a field named "__proto__" is a 400 naming it, not a formatter crash', async () => {
    const input = JSON.parse(
      '{"email":"someone@guards.example.com","__proto__":"\\u0000"}',
    ) as unknown;
    const res = await h.query("teams.list", input, { credentials: admin });
    expect(res.status).toBe(400);
    // A computed key: a literal `__proto__:` would set the prototype, not a property.
    expect(res.error?.data.fieldErrors).toEqual({ ["__proto__"]: [expect.any(String)] });
  });

  it("a handler's BAD_REQUEST (an unreadable cursor) names its field", async () => {
    const res = await h.query(
      "teams.list",
      { cursor: "definitely not a cursor" },
      { credentials: admin },
    );
    expect(res.status).toBe(400);
    expect(res.error?.data.fieldErrors).toEqual({ cursor: ["Invalid cursor"] });
  });
});

const cursorOf = (parts: string[]): string =>
  Buffer.from(JSON.stringify(parts), "utf8").toString("base64url");

describe("dates outside what PostgreSQL stores are field errors, never 500", () => {
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
    const audit = await h.query(
      "audit.list",
      { from: "1970-01-01T00:00:00Z", to: "9999-12-31T23:59:59Z" },
      { credentials: admin },
    );
    expect(audit.status).toBe(200);
    const update = await h.mutation<Out<"teams.update">>(
      "teams.update",
      { teamId, lastPaymentAt: "2026-01-31T12:00:00Z" },
      { credentials: admin },
    );
    expect(update.status).toBe(200);
    expect(update.data.lastPaymentAt).toBe("2026-01-31T12:00:00.000Z");
  });
});

describe("names refuse format and control characters", () => {
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
        email: `n${Math.random().toString(36).slice(2)}@guards.example.com`,
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
        litellmMasterKey: "sk-guards-master",
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
        const res = await h.mutation(path, input(text), { credentials: admin });
        expect(res.status, path).toBe(400);
        expect(Object.keys(res.error?.data.fieldErrors ?? {}), path).toEqual(["name"]);
      }
      expect(await snapshotDatabase(h.db.pool)).toEqual(before);
    });
  }

  it("the message says why (free-text names; ASCII-only names fail their pattern as well)", async () => {
    const res = await h.mutation(
      "orgs.create",
      { name: "Acme\u202Egpj.exe" },
      { credentials: admin },
    );
    expect(res.error?.data.fieldErrors).toEqual({ name: [INVISIBLE_CHARACTER_MESSAGE] });
  });
});

/** A cursor with the right shape and sort, and junk where the value and id go. */
const junkCursor = (sortBy: string, sortOrder: string, value: string, id: string): string =>
  Buffer.from(JSON.stringify([sortBy, sortOrder, value, id]), "utf8").toString("base64url");

describe("forged cursors", () => {
  // A cursor is client data: decodeCursor checks its value and id against the sort (a date
  // for createdAt, a UUID for the id, a bounded string for a name), because teams.list
  // casts them in SQL and audit.list builds a Date from them, and either would turn a
  // forged cursor into a 500.
  const cases = [
    ["teams.list", {}, junkCursor("createdAt", "desc", "not a date", "x")],
    ["teams.list", {}, junkCursor("createdAt", "desc", new Date().toISOString(), "x")],
    [
      "teams.list",
      { sortBy: "name", sortOrder: "asc" },
      junkCursor("name", "asc", "abc", "' OR 1=1 --"),
    ],
    ["audit.list", {}, junkCursor("createdAt", "desc", "not a date", crypto.randomUUID())],
    ["audit.list", {}, junkCursor("createdAt", "desc", new Date().toISOString(), "x")],
    ["outbox.list", {}, junkCursor("createdAt", "desc", "not a date", crypto.randomUUID())],
    ["outbox.list", {}, junkCursor("createdAt", "asc", new Date().toISOString(), "x")],
  ] as const;
  for (const [path, extra, cursor] of cases) {
    it(`${path} answers a forged cursor (${Buffer.from(cursor, "base64url").toString("utf8")}) with 400 naming the cursor`, async () => {
      const res = await h.query(path, { ...extra, cursor }, { credentials: admin });
      expect(res.status).toBe(400);
      expect(res.error?.data.fieldErrors).toEqual({ cursor: [expect.any(String)] });
    });
  }
});
