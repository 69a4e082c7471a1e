/**
 * Every screen loads on the demo data, which is a newcomer's first look (the seed writes
 * shapes such as `limits.models` as a list that an output schema must accept, or
 * products.list answers 500 for everyone). Here the demo data set (packages/db seed)
 * is opened through the API by every demo account and by service tokens of both scopes:
 * every read procedure behind a screen, for every object the caller might open, and no
 * answer may be a 5xx. Also: `npm start` with DATABASE_URL and GATEHOUSE_DEMO=1 creates the
 * folder of .data/demo-credentials.txt when it does not exist.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { seedDemo } from "@gatehouse/db/data";
import { testBackend } from "@gatehouse/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../../src/routers/index.ts";
import { type Harness, startHarness } from "../support/harness.ts";
import { type Credentials, type Out } from "../support/http.ts";
import { insertServiceToken, insertSession } from "../support/fixtures.ts";
import { listProcedures } from "../support/router-walk.ts";
import { startApiProcess, stopAll } from "../support/processes.ts";

let h: Harness;
const callers: Array<{ who: string; credentials: Credentials }> = [];
let teamIds: string[] = [];
let orgIds: string[] = [];
let regionIds: string[] = [];
let keyIds: string[] = [];
let emails: string[] = [];
let webhookIds: string[] = [];

beforeAll(async () => {
  h = await startHarness({ serialPglite: true });
  const seeded = await seedDemo(h.db, {
    // Logins are not what this test is about: sessions are inserted directly below.
    hashPassword: (plain) => Promise.resolve(`not-argon2:${plain.length}`),
    region: { name: "Local Demo", baseUrl: "http://127.0.0.1:9", masterKey: "sk-demo-test-master" },
  });
  if (!seeded.seeded) throw new Error("the demo seed did not run");
  for (const account of seeded.credentials) {
    const user = await h.db.prisma.user.findUniqueOrThrow({
      where: { email: account.email },
      select: { id: true },
    });
    callers.push({
      who: `${account.email} (${account.role})`,
      credentials: { cookie: await insertSession(h, user.id) },
    });
  }
  teamIds = (await h.db.prisma.team.findMany({ select: { id: true } })).map((t) => t.id);
  orgIds = (await h.db.prisma.organization.findMany({ select: { id: true } })).map((o) => o.id);
  regionIds = (await h.db.prisma.region.findMany({ select: { id: true } })).map((r) => r.id);
  keyIds = (await h.db.prisma.apiKey.findMany({ select: { id: true } })).map((k) => k.id);
  emails = seeded.credentials.map((c) => c.email);
  webhookIds = (await h.db.prisma.webhook.findMany({ select: { id: true } })).map((w) => w.id);
  callers.push({
    who: "admin-scope service token",
    credentials: { bearer: await insertServiceToken(h.db, { admin: true }) },
  });
  callers.push({
    who: "org-scope service token",
    credentials: { bearer: await insertServiceToken(h.db, { organizationId: orgIds[0]! }) },
  });
  callers.push({ who: "anonymous", credentials: null });
});
afterAll(() => h?.close());

/** Every query a screen makes, with the inputs a screen would send on the demo data. */
function screenCalls(): Array<[string, unknown]> {
  const [first, second] = teamIds;
  return [
    ["auth.me", undefined],
    ["auth.session", undefined],
    ["users.list", {}],
    ...orgIds.map((organizationId): [string, unknown] => ["users.list", { organizationId }]),
    ...emails.slice(0, 3).map((email): [string, unknown] => ["users.lookup", { email }]),
    ["sessions.list", {}],
    ["serviceTokens.list", undefined],
    ["teams.list", {}],
    ["teams.list", { expired: true, sortBy: "name", sortOrder: "asc" }],
    ["teams.list", { blocked: true }],
    ...orgIds.map((organizationId): [string, unknown] => ["teams.list", { organizationId }]),
    ...teamIds.map((teamId): [string, unknown] => ["teams.get", { teamId }]),
    ...teamIds.map((teamId): [string, unknown] => ["teams.spendHistory", { teamId, days: 30 }]),
    ["teams.list", { sortBy: "spend", sortOrder: "desc" }],
    ["teams.spendReport", { from: "2026-01-01", to: "2026-01-31" }],
    ...orgIds.map((organizationId): [string, unknown] => [
      "teams.spendReport",
      { from: "2026-01-01", to: "2026-01-31", organizationId },
    ]),
    ...teamIds.map((teamId): [string, unknown] => ["keys.list", { teamId }]),
    ["keys.list", {}],
    // The key detail (limits in force, budget, expiry) of every demo key.
    ...keyIds.map((keyId): [string, unknown] => ["keys.get", { keyId }]),
    ["teams.mergePreview", { sourceTeamId: first, targetTeamId: second, strategy: "rename" }],
    ["teams.mergeStatus", { mergeId: crypto.randomUUID() }],
    ["orgs.list", {}],
    ...orgIds.map((organizationId): [string, unknown] => ["orgs.get", { organizationId }]),
    ["products.list", undefined],
    ["audit.list", {}],
    ...orgIds.map((organizationId): [string, unknown] => ["audit.list", { organizationId }]),
    ["regions.list", undefined],
    ["outbox.list", {}],
    ["outbox.get", { mailId: crypto.randomUUID() }],
    ["invitations.list", {}],
    // The invitation page with a link that is not (any more) valid.
    ["invitations.preview", { token: "ghi_not-a-live-invitation" }],
    ...orgIds.map((organizationId): [string, unknown] => ["invitations.list", { organizationId }]),
    ...teamIds.map((teamId): [string, unknown] => ["invitations.list", { teamId }]),
    // The identity providers screen (the demo's own provider of Acme Corp when it runs).
    ["identityProviders.list", undefined],
    ...orgIds.map((organizationId): [string, unknown] => [
      "identityProviders.list",
      { organizationId },
    ]),
    ...regionIds.map((regionId): [string, unknown] => ["regions.reconcileStatus", { regionId }]),
    // The webhooks screens: the global one, each organization's, and each endpoint's log
    // (an unknown id too, when the demo seeds none).
    ["webhooks.list", {}],
    ...orgIds.map((organizationId): [string, unknown] => ["webhooks.list", { organizationId }]),
    ...[...webhookIds, crypto.randomUUID()].map((webhookId): [string, unknown] => [
      "webhooks.deliveries",
      { webhookId },
    ]),
    // The bell and /notifications (all, then unread only), /account's mail opt-outs, and
    // the organization page's alert settings.
    ["notifications.list", {}],
    ["notifications.list", { unreadOnly: true }],
    ["notifications.getPreferences", undefined],
    ...orgIds.map((organizationId): [string, unknown] => [
      "alerts.getSettings",
      { organizationId },
    ]),
  ];
}

describe("the demo data set, opened by every demo role", () => {
  it("covers every query procedure of the router", () => {
    const covered = new Set(screenCalls().map(([path]) => path));
    const queries = listProcedures(appRouter)
      .filter((p) => p.type === "query")
      .map((p) => p.path);
    expect(queries.filter((path) => !covered.has(path))).toEqual([]);
  });

  // A sweep of every screen for every demo role, one call at a time: minutes on a loaded
  // machine, and not a measure of speed.
  it("no screen answers a 5xx to anyone", { timeout: 180_000 }, async () => {
    const failures: string[] = [];
    for (const { who, credentials } of callers) {
      for (const [path, input] of screenCalls()) {
        const res = await h.query(path, input, { credentials });
        if (res.status >= 500)
          failures.push(
            `${who}: ${path} ${JSON.stringify(input)} -> ${res.status} ${res.error?.message}`,
          );
      }
    }
    expect(failures).toEqual([]);
  });

  it("products.list answers every signed-in demo account with the seeded products", async () => {
    for (const { who, credentials } of callers.filter((c) => c.credentials !== null)) {
      const res = await h.query<Out<"products.list">>("products.list", undefined, {
        credentials,
      });
      expect(res.status, who).toBe(200);
      expect(res.data.length, who).toBeGreaterThan(0);
      expect(
        res.data.some((p) => Array.isArray(p.limits.models)),
        who,
      ).toBe(true);
    }
  });
});

describe("npm start with DATABASE_URL and GATEHOUSE_DEMO=1", () => {
  afterAll(() => stopAll());

  it("creates the data folder for demo-credentials.txt instead of crashing", async () => {
    // A fresh database of its own: the demo seeds only an empty one.
    const { createTestDatabase } = await import("@gatehouse/db/testing");
    const db = await createTestDatabase();
    const dataDir = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), "gh-demo-")),
      "missing",
      ".data",
    );
    try {
      const api = await startApiProcess("demo api", {
        DATABASE_URL: db.url,
        GATEHOUSE_DEMO: "1",
        GATEHOUSE_DATA_DIR: dataDir,
        GATEHOUSE_DEMO_LITELLM_PORT: "0",
        GATEHOUSE_DEMO_IDP_PORT: "0",
        GATEHOUSE_WORKER: "off",
        // PGlite's socket server is safe with one connection per process.
        ...(testBackend() === "pglite" ? { GATEHOUSE_DB_POOL_MAX: "1" } : {}),
      });
      const credentials = path.join(dataDir, "demo-credentials.txt");
      expect(fs.existsSync(credentials), api.output()).toBe(true);
      expect(fs.readFileSync(credentials, "utf8")).toMatch(/admin@gatehouse\.example/);
      expect((fs.statSync(credentials).mode & 0o777).toString(8)).toBe("600");
      api.signal("SIGTERM");
      expect((await api.exited()).code).toBe(0);
    } finally {
      await stopAll();
      await db.close();
    }
  }, 120_000);
});
