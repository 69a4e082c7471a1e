/**
 * The in-process session cache (src/auth/session-cache.ts): it saves the session lookup's
 * round trip, and never outlives a change that ends a session or changes what its user may
 * do, whoever makes the change. On PGlite it is never used.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SessionCache, type SessionFacts } from "../../src/auth/session-cache.ts";
import { type Harness, startHarness } from "../support/harness.ts";
import * as fx from "../support/fixtures.ts";
import { countRoundTrips } from "../support/database.ts";

const facts = (id: string): SessionFacts => ({
  id,
  user_id: "u",
  idle_expires_at: new Date(0),
  absolute_expires_at: new Date(0),
  last_seen_at: new Date(0),
  revoked_at: null,
  is_active: true,
  is_system_admin: false,
  admin_org_ids: [],
});

describe("SessionCache", () => {
  const make = (options: { maxEntries?: number } = {}) => {
    let now = 0;
    const cache = new SessionCache({ maxAgeMs: 1_000, monotonicMs: () => now, ...options });
    return { cache, advance: (ms: number) => (now += ms) };
  };

  it.each([
    ["not live: nothing is kept", false, 0, false],
    ["live, fresh", true, 1_000, true],
    ["live, older than maxAgeMs", true, 1_001, false],
  ])("%s", (_name, live, age, found) => {
    const { cache, advance } = make();
    cache.setLive(live);
    cache.store("h", facts("s"), cache.begin());
    advance(age);
    expect(cache.get("h") !== undefined).toBe(found);
  });

  it("does not keep what a lookup read before a drop (a change may have come between)", () => {
    const { cache } = make();
    cache.setLive(true);
    const before = cache.begin();
    cache.clear();
    cache.store("h", facts("s"), before);
    expect(cache.get("h")).toBeUndefined();
    cache.store("h", facts("s"), cache.begin());
    expect(cache.get("h")?.id).toBe("s");
  });

  it("drops everything when the watch is lost, and is unused until it is back", () => {
    const { cache } = make();
    cache.setLive(true);
    cache.store("h", facts("s"), cache.begin());
    cache.setLive(false);
    expect(cache.size).toBe(0);
    cache.store("h", facts("s"), cache.begin());
    expect(cache.size).toBe(0);
    cache.setLive(true);
    expect(cache.get("h")).toBeUndefined();
  });

  it("keeps at most maxEntries, dropping the oldest, and hands out frozen facts", () => {
    const { cache } = make({ maxEntries: 2 });
    cache.setLive(true);
    for (const id of ["a", "b", "c"]) cache.store(id, facts(id), cache.begin());
    expect([cache.get("a"), cache.get("b")?.id, cache.get("c")?.id]).toEqual([undefined, "b", "c"]);
    expect(Object.isFrozen(cache.get("b"))).toBe(true);
    expect(Object.isFrozen(cache.get("b")?.admin_org_ids)).toBe(true);
  });
});

describe("session lookups through the cache", () => {
  let h: Harness;
  let server: boolean;
  let admin: { cookie: string };

  /** Until the server's watch of auth changes is live (it connects after start). */
  async function live(expected = true): Promise<void> {
    for (let i = 0; i < 200 && (h.server.sessions?.cache.live ?? false) !== expected; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(h.server.sessions?.cache.live ?? false).toBe(expected);
  }

  const listTrips = (credentials: { cookie: string }) =>
    countRoundTrips(() => h.queryOk("teams.list", {}, credentials));

  beforeAll(async () => {
    h = await startHarness();
    server = h.db.backend === "postgres";
    const adminId = await fx.insertUser(h.db, { email: "admin@example.com", isSystemAdmin: true });
    admin = { cookie: await fx.insertSession(h, adminId) };
    if (server) await live();
    // A warm server: the pool's one-time probe of the server (may it name statements?) is
    // not a request's round trip. Another session, so the admin's is not cached yet.
    await h.queryOk("teams.list", {}, { cookie: await fx.insertSession(h, adminId) });
  });
  afterAll(async () => h?.close());

  it("a repeated listing costs one round trip on a server (two on PGlite, which has no cache)", async () => {
    const first = await listTrips(admin);
    const again = await listTrips(admin);
    expect(first).toBe(2);
    expect(again).toBe(server ? 1 : 2);
    expect(h.server.sessions === null).toBe(!server);
  });

  it("a logout ends the session on the next request, with no wait", async () => {
    const userId = await fx.insertUser(h.db, { email: "leaving@example.com" });
    const me = { cookie: await fx.insertSession(h, userId) };
    await h.queryOk("auth.me", undefined, me);
    await h.mutationOk("auth.logout", undefined, me);
    expect((await h.query("auth.me", undefined, { credentials: me })).status).toBe(401);
  });

  describe("changes made behind the API's back (another instance, the worker, SQL)", () => {
    // Each as an operator would type it, on a connection of its own.
    async function sql(text: string, values: unknown[]): Promise<void> {
      const client = new pg.Client({ connectionString: h.db.url });
      await client.connect();
      try {
        await client.query(text, values);
      } finally {
        await client.end();
      }
      await h.server.sessions?.sync();
    }

    it.each([
      ["a revoked session", `UPDATE sessions SET revoked_at = now() WHERE user_id = $1`],
      ["a deleted session", `DELETE FROM sessions WHERE user_id = $1`],
      ["a disabled user", `UPDATE users SET is_active = false WHERE id = $1`],
      [
        "a shortened expiry",
        `UPDATE sessions SET idle_expires_at = idle_expires_at - interval '1 day' WHERE user_id = $1`,
      ],
    ])("%s: 401 from then on", async (name, statement) => {
      const userId = await fx.insertUser(h.db, {
        email: `${name.replaceAll(" ", "-")}@example.com`,
      });
      const me = { cookie: await fx.insertSession(h, userId) };
      await listTrips(me);
      // Answered from the cache on a server: only the page's statement.
      expect(await listTrips(me)).toBe(server ? 1 : 2);
      await sql(statement, [userId]);
      expect((await h.query("auth.me", undefined, { credentials: me })).status).toBe(401);
    });

    it("a granted or taken system-admin flag holds from then on", async () => {
      const userId = await fx.insertUser(h.db, { email: "promoted@example.com" });
      const me = { cookie: await fx.insertSession(h, userId) };
      expect((await h.query("users.list", {}, { credentials: me })).status).toBe(403);
      await sql(`UPDATE users SET is_system_admin = true WHERE id = $1`, [userId]);
      expect((await h.query("users.list", {}, { credentials: me })).status).toBe(200);
      await sql(`UPDATE users SET is_system_admin = false WHERE id = $1`, [userId]);
      expect((await h.query("users.list", {}, { credentials: me })).status).toBe(403);
    });

    it("an org-admin role granted or taken changes the listing from then on", async () => {
      const org = await fx.insertOrganization(h.db, "Cache Org");
      const team = await fx.insertTeam(h.db, { name: "Cache Team", organizationId: org });
      const userId = await fx.insertUser(h.db, { email: "orgrole@example.com" });
      await fx.addOrgMember(h.db, org, userId, "MEMBER");
      const me = { cookie: await fx.insertSession(h, userId) };
      const sees = async () =>
        (await h.queryOk<{ items: Array<{ id: string }> }>("teams.list", {}, me)).items.some(
          (t) => t.id === team,
        );
      expect(await sees()).toBe(false);
      await sql(
        `UPDATE organization_members SET role = 'ORG_ADMIN' WHERE organization_id = $1 AND user_id = $2`,
        [org, userId],
      );
      expect(await sees()).toBe(true);
      await sql(`DELETE FROM organization_members WHERE organization_id = $1 AND user_id = $2`, [
        org,
        userId,
      ]);
      expect(await sees()).toBe(false);
    });
  });

  it("a lost watch turns the cache off (every request reads) until it is back", async () => {
    if (!server) return;
    await listTrips(admin);
    expect(await listTrips(admin)).toBe(1);
    const killer = new pg.Client({ connectionString: h.db.url });
    await killer.connect();
    try {
      await killer.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE application_name = 'gatehouse-auth-watch' AND datname = current_database()`,
      );
    } finally {
      await killer.end();
    }
    await live(false);
    expect(await listTrips(admin)).toBe(2);
    expect(await listTrips(admin)).toBe(2);
    await live(true);
    await listTrips(admin);
    expect(await listTrips(admin)).toBe(1);
  });

  it("the sliding expiry is still written once a minute from a cached session", async () => {
    const userId = await fx.insertUser(h.db, { email: "active@example.com" });
    const me = { cookie: await fx.insertSession(h, userId) };
    await h.queryOk("auth.me", undefined, me);
    const seen = async () =>
      (await h.db.prisma.session.findFirstOrThrow({ where: { userId } })).lastSeenAt.getTime();
    const before = await seen();
    h.clock.advance(2 * 60_000);
    await h.queryOk("auth.me", undefined, me);
    expect(await seen()).toBe(h.clock.now().getTime());
    expect(await seen()).toBeGreaterThan(before);
  });
});
