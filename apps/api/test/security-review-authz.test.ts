/**
 * Regression tests for the authorization findings of the outside security review (issue
 * 10, items 1, 3, 5, 9 and the orgs.get role lookup), over real HTTP on both database
 * backends. Each `describe` names the item it covers; each test failed on the code before
 * the fix.
 */
import { testBackend } from "@gatehouse/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addOrgMember,
  addTeamMember,
  call,
  callOk,
  insertOrganization,
  insertSession,
  insertTeam,
  insertUser,
  startHarness,
  waitForLockWaiters,
  type Credentials,
  type Harness,
  type Out,
} from "./harness.ts";

let h: Harness;
let rootId: string;
let root: Credentials;
let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}`;

beforeAll(async () => {
  h = await startHarness();
  rootId = await insertUser(h.db, { email: "root@review.example.com", isSystemAdmin: true });
  root = { cookie: await insertSession(h, rootId) };
});
afterAll(() => h?.close());

/** A user with a fresh session. */
async function person(
  prefix: string,
  options: { isSystemAdmin?: boolean; email?: string } = {},
): Promise<{ id: string; email: string; creds: Credentials }> {
  const email = options.email ?? `${unique(prefix)}@review.example.com`;
  const id = await insertUser(h.db, { email, isSystemAdmin: options.isSystemAdmin ?? false });
  return { id, email, creds: { cookie: await insertSession(h, id) } };
}

const me = (bearer: string) =>
  call(h.url, "query", "auth.me", undefined, { credentials: { bearer } });

async function auditDetails(action: string, targetId: string): Promise<Record<string, unknown>> {
  const events = await h.db.prisma.auditEvent.findMany({
    where: { action, targetId },
    orderBy: { createdAt: "desc" },
  });
  expect(events.length, `${action} event for ${targetId}`).toBeGreaterThan(0);
  return events[0]!.details as Record<string, unknown>;
}

describe("item 1: a service token never acts with more than its creator has now", () => {
  it("an admin token stops (401) when its creator is demoted, stays stopped when disabled, and cannot restore them", async () => {
    const creator = await person("token-admin", { isSystemAdmin: true });
    const created = await callOk<Out<"serviceTokens.create">>(
      h.url,
      "mutation",
      "serviceTokens.create",
      { name: "ops bot", scope: "admin" },
      creator.creds,
    );
    // A token minted by that token is bound by the same person.
    const minted = await callOk<Out<"serviceTokens.create">>(
      h.url,
      "mutation",
      "serviceTokens.create",
      { name: "minted by bot", scope: "admin" },
      { bearer: created.token },
    );
    expect(minted.createdBy?.id).toBe(creator.id);
    expect((await me(created.token)).status).toBe(200);

    await callOk(
      h.url,
      "mutation",
      "users.update",
      { userId: creator.id, isSystemAdmin: false },
      root,
    );
    for (const token of [created.token, minted.token]) {
      expect((await me(token)).status).toBe(401);
      // The attack of the review: re-promote the demoted account with its own token.
      const restore = await call(
        h.url,
        "mutation",
        "users.update",
        { userId: creator.id, isSystemAdmin: true },
        { credentials: { bearer: token } },
      );
      expect(restore.status).toBe(401);
    }
    expect(
      (await h.db.prisma.user.findUniqueOrThrow({ where: { id: creator.id } })).isSystemAdmin,
    ).toBe(false);
    // The demotion's audit event names the tokens it stopped.
    const demotion = await auditDetails("user.update", creator.id);
    expect(demotion.stoppedServiceTokens).toEqual(
      expect.arrayContaining([
        { id: created.id, name: "ops bot" },
        { id: minted.id, name: "minted by bot" },
      ]),
    );
    expect(demotion.stoppedServiceTokens).toHaveLength(2);

    await callOk(h.url, "mutation", "users.update", { userId: creator.id, isActive: false }, root);
    expect((await me(created.token)).status).toBe(401);
  });

  it("an admin token of a disabled system admin answers 401 (the admin flag alone is not enough)", async () => {
    const creator = await person("disabled-admin", { isSystemAdmin: true });
    const created = await callOk<Out<"serviceTokens.create">>(
      h.url,
      "mutation",
      "serviceTokens.create",
      { name: "nightly", scope: "admin" },
      creator.creds,
    );
    await callOk(h.url, "mutation", "users.update", { userId: creator.id, isActive: false }, root);
    expect((await me(created.token)).status).toBe(401);
    const made = await call(
      h.url,
      "mutation",
      "users.create",
      {
        email: `${unique("made")}@review.example.com`,
        name: "Made",
        password: "a long enough password",
        isSystemAdmin: true,
      },
      { credentials: { bearer: created.token } },
    );
    expect(made.status).toBe(401);
    expect((await auditDetails("user.update", creator.id)).stoppedServiceTokens).toEqual([
      { id: created.id, name: "nightly" },
    ]);
  });

  it("an organization token works while its creator is ORG_ADMIN there (or a system admin), and stops when they are not", async () => {
    const org = await insertOrganization(h.db, unique("Token Org"));
    const creator = await person("org-token-creator", { isSystemAdmin: true });
    const otherAdmin = await person("org-other-admin");
    await addOrgMember(h.db, org, creator.id, "ORG_ADMIN");
    await addOrgMember(h.db, org, otherAdmin.id, "ORG_ADMIN");
    const orgToken = await callOk<Out<"serviceTokens.create">>(
      h.url,
      "mutation",
      "serviceTokens.create",
      { name: "org sync", scope: "organization", organizationId: org },
      creator.creds,
    );
    const adminToken = await callOk<Out<"serviceTokens.create">>(
      h.url,
      "mutation",
      "serviceTokens.create",
      { name: "admin sync", scope: "admin" },
      creator.creds,
    );

    // No longer a system admin, still ORG_ADMIN: only the admin token stops.
    await callOk(
      h.url,
      "mutation",
      "users.update",
      { userId: creator.id, isSystemAdmin: false },
      root,
    );
    expect((await me(adminToken.token)).status).toBe(401);
    expect(
      (
        await call(
          h.url,
          "query",
          "users.list",
          { organizationId: org },
          { credentials: { bearer: orgToken.token } },
        )
      ).status,
    ).toBe(200);
    expect((await auditDetails("user.update", creator.id)).stoppedServiceTokens).toEqual([
      { id: adminToken.id, name: "admin sync" },
    ]);

    // Demoted to MEMBER of the organization (through orgs.addMember's upsert): it stops.
    await callOk(
      h.url,
      "mutation",
      "orgs.addMember",
      { organizationId: org, userId: creator.id, role: "MEMBER" },
      otherAdmin.creds,
    );
    expect((await me(orgToken.token)).status).toBe(401);
    const setRole = await h.db.prisma.auditEvent.findFirstOrThrow({
      where: { action: "org.member.setRole", targetId: org },
      orderBy: { createdAt: "desc" },
    });
    expect((setRole.details as Record<string, unknown>).stoppedServiceTokens).toEqual([
      { id: orgToken.id, name: "org sync" },
    ]);
  });

  it("serviceTokens.list shows the creator and the last use, written at most once a minute", async () => {
    const creator = await person("listed-creator", { isSystemAdmin: true });
    const created = await callOk<Out<"serviceTokens.create">>(
      h.url,
      "mutation",
      "serviceTokens.create",
      { name: "listed", scope: "admin" },
      creator.creds,
    );
    const listed = async () =>
      (
        await callOk<Out<"serviceTokens.list">>(
          h.url,
          "query",
          "serviceTokens.list",
          undefined,
          root,
        )
      ).find((t) => t.id === created.id)!;
    expect(await listed()).toMatchObject({
      lastUsedAt: null,
      createdBy: { id: creator.id, email: creator.email, name: expect.any(String) },
    });

    const t0 = h.clock.now();
    expect((await me(created.token)).status).toBe(200);
    expect((await listed()).lastUsedAt).toBe(t0.toISOString());
    h.clock.advance(30_000);
    expect((await me(created.token)).status).toBe(200);
    expect((await listed()).lastUsedAt, "not rewritten within a minute").toBe(t0.toISOString());
    h.clock.advance(30_000);
    expect((await me(created.token)).status).toBe(200);
    expect((await listed()).lastUsedAt).toBe(h.clock.now().toISOString());
  });
});

describe("item 3: an organization never ends up without an ORG_ADMIN", () => {
  async function orgWithAdmins(count: number) {
    const org = await insertOrganization(h.db, unique("Admin Org"));
    const admins = [];
    for (let i = 0; i < count; i++) {
      const admin = await person("org-admin");
      await addOrgMember(h.db, org, admin.id, "ORG_ADMIN");
      admins.push(admin);
    }
    return { org, admins };
  }
  const adminCount = (org: string) =>
    h.db.prisma.organizationMember.count({ where: { organizationId: org, role: "ORG_ADMIN" } });

  it("orgs.addMember cannot demote the only admin, not even by a system admin (412)", async () => {
    const { org, admins } = await orgWithAdmins(1);
    for (const creds of [admins[0]!.creds, root]) {
      const res = await call(
        h.url,
        "mutation",
        "orgs.addMember",
        { organizationId: org, userId: admins[0]!.id, role: "MEMBER" },
        { credentials: creds },
      );
      expect(res.status).toBe(412);
      expect(res.error?.data.code).toBe("PRECONDITION_FAILED");
    }
    expect(await adminCount(org)).toBe(1);
    expect(
      await h.db.prisma.auditEvent.count({
        where: { action: "org.member.setRole", targetId: org },
      }),
    ).toBe(0);
  });

  it("orgs.removeMember cannot remove the only admin, not even by a system admin (412)", async () => {
    const { org, admins } = await orgWithAdmins(1);
    const res = await call(
      h.url,
      "mutation",
      "orgs.removeMember",
      { organizationId: org, userId: admins[0]!.id },
      { credentials: root },
    );
    expect(res.status).toBe(412);
    expect(await adminCount(org)).toBe(1);
  });

  it("with a second admin, demotion and removal work", async () => {
    const { org, admins } = await orgWithAdmins(2);
    await callOk(
      h.url,
      "mutation",
      "orgs.addMember",
      { organizationId: org, userId: admins[1]!.id, role: "MEMBER" },
      admins[0]!.creds,
    );
    await callOk(
      h.url,
      "mutation",
      "orgs.removeMember",
      { organizationId: org, userId: admins[1]!.id },
      admins[0]!.creds,
    );
    expect(await adminCount(org)).toBe(1);
  });

  it("two admins removing (or demoting) each other at once: exactly one succeeds", async () => {
    // Several organizations at once, so the requests really overlap on a server backend.
    const pairs = await Promise.all(Array.from({ length: 6 }, () => orgWithAdmins(2)));
    const results = await Promise.all(
      pairs.map(async ({ org, admins: [a, b] }, i) => {
        const demoteInstead = i % 2 === 1;
        const [ab, ba] = await Promise.all([
          call(
            h.url,
            "mutation",
            "orgs.removeMember",
            { organizationId: org, userId: b!.id },
            { credentials: a!.creds },
          ),
          demoteInstead
            ? call(
                h.url,
                "mutation",
                "orgs.addMember",
                { organizationId: org, userId: a!.id, role: "MEMBER" },
                { credentials: b!.creds },
              )
            : call(
                h.url,
                "mutation",
                "orgs.removeMember",
                { organizationId: org, userId: a!.id },
                { credentials: b!.creds },
              ),
        ]);
        return { statuses: [ab.status, ba.status].sort(), admins: await adminCount(org) };
      }),
    );
    for (const result of results) {
      expect(result.statuses).toEqual([200, 412]);
      expect(result.admins).toBe(1);
    }
  });
});

describe("item 5: team membership stays inside the organization; team admins are not removed from below", () => {
  let acme: string;
  let globex: string;
  let acmeTeam: string;
  let teamAdmin: Awaited<ReturnType<typeof person>>;
  let acmeAdmin: Awaited<ReturnType<typeof person>>;
  let globexUser: Awaited<ReturnType<typeof person>>;
  let acmeUser: Awaited<ReturnType<typeof person>>;

  beforeAll(async () => {
    acme = await insertOrganization(h.db, unique("Acme"));
    globex = await insertOrganization(h.db, unique("Globex"));
    acmeTeam = await insertTeam(h.db, { name: unique("Acme team"), organizationId: acme });
    teamAdmin = await person("acme-team-admin");
    acmeAdmin = await person("acme-org-admin");
    globexUser = await person("globex-user");
    acmeUser = await person("acme-user");
    await addOrgMember(h.db, acme, teamAdmin.id, "MEMBER");
    await addOrgMember(h.db, acme, acmeAdmin.id, "ORG_ADMIN");
    await addOrgMember(h.db, acme, acmeUser.id, "MEMBER");
    await addOrgMember(h.db, globex, globexUser.id, "MEMBER");
    await addTeamMember(h.db, acmeTeam, teamAdmin.id, "ADMIN");
  });

  it("teams.addMember refuses a user of another organization like an unknown user, for every caller", async () => {
    const unknown = await call(
      h.url,
      "mutation",
      "teams.addMember",
      { teamId: acmeTeam, userId: crypto.randomUUID(), role: "ADMIN" },
      { credentials: teamAdmin.creds },
    );
    expect(unknown.status).toBe(404);
    for (const creds of [teamAdmin.creds, acmeAdmin.creds, root]) {
      const res = await call(
        h.url,
        "mutation",
        "teams.addMember",
        { teamId: acmeTeam, userId: globexUser.id, role: "ADMIN" },
        { credentials: creds },
      );
      expect(res.status).toBe(404);
      expect(res.error?.message).toBe(unknown.error?.message);
      expect(res.error?.data.details).toEqual(unknown.error?.data.details);
    }
    expect(
      await h.db.prisma.teamMember.count({ where: { teamId: acmeTeam, userId: globexUser.id } }),
    ).toBe(0);
  });

  it("once added to the organization, they can join its team", async () => {
    const newcomer = await person("newcomer");
    // A person in none of the org admin's organizations joins by invitation; a system admin
    // adds them directly (user-directory-scope.test.ts).
    await callOk(
      h.url,
      "mutation",
      "orgs.addMember",
      { organizationId: acme, userId: newcomer.id, role: "MEMBER" },
      root,
    );
    await callOk(
      h.url,
      "mutation",
      "teams.addMember",
      { teamId: acmeTeam, userId: newcomer.id, role: "MEMBER" },
      teamAdmin.creds,
    );
  });

  it("a team admin cannot remove or demote another team admin (403); the org admin can; a team admin may step down", async () => {
    const peer = await person("peer-admin");
    await addOrgMember(h.db, acme, peer.id, "MEMBER");
    await addTeamMember(h.db, acmeTeam, peer.id, "ADMIN");
    // The review's attack, by a peer: remove the team admin, or demote them.
    const removed = await call(
      h.url,
      "mutation",
      "teams.removeMember",
      { teamId: acmeTeam, userId: teamAdmin.id },
      { credentials: peer.creds },
    );
    expect(removed.status).toBe(403);
    const demoted = await call(
      h.url,
      "mutation",
      "teams.setMemberRole",
      { teamId: acmeTeam, userId: teamAdmin.id, role: "MEMBER" },
      { credentials: peer.creds },
    );
    expect(demoted.status).toBe(403);
    expect(
      (
        await h.db.prisma.teamMember.findUniqueOrThrow({
          where: { teamId_userId: { teamId: acmeTeam, userId: teamAdmin.id } },
        })
      ).role,
    ).toBe("ADMIN");

    // A team admin still manages those below: promote and demote a member.
    await callOk(
      h.url,
      "mutation",
      "teams.addMember",
      { teamId: acmeTeam, userId: acmeUser.id, role: "KEY_CREATOR" },
      teamAdmin.creds,
    );
    await callOk(
      h.url,
      "mutation",
      "teams.setMemberRole",
      { teamId: acmeTeam, userId: acmeUser.id, role: "READ_ONLY" },
      teamAdmin.creds,
    );
    // Stepping down is one's own choice; the organization's admin arbitrates between peers.
    await callOk(
      h.url,
      "mutation",
      "teams.setMemberRole",
      { teamId: acmeTeam, userId: peer.id, role: "MEMBER" },
      peer.creds,
    );
    await callOk(
      h.url,
      "mutation",
      "teams.setMemberRole",
      { teamId: acmeTeam, userId: peer.id, role: "ADMIN" },
      acmeAdmin.creds,
    );
    await callOk(
      h.url,
      "mutation",
      "teams.removeMember",
      { teamId: acmeTeam, userId: peer.id },
      acmeAdmin.creds,
    );
  });

  it("users.lookup does not confirm emails outside a team admin's organizations (null, like an unknown email)", async () => {
    const lookup = (email: string, creds: Credentials) =>
      callOk<Out<"users.lookup">>(h.url, "query", "users.lookup", { email }, creds);
    expect(await lookup(globexUser.email, teamAdmin.creds)).toBeNull();
    expect(await lookup("nobody-at-all@review.example.com", teamAdmin.creds)).toBeNull();
    expect((await lookup(acmeUser.email, teamAdmin.creds))?.id).toBe(acmeUser.id);
    // Nor an org admin's: they too find only people they already share an organization with.
    expect(await lookup(globexUser.email, acmeAdmin.creds)).toBeNull();
    expect((await lookup(acmeUser.email, acmeAdmin.creds))?.id).toBe(acmeUser.id);
  });
});

// PostgreSQL only: PGlite runs one transaction at a time for every connection, so the held
// transaction would stall the request's own session lookup rather than its lock.
describe.skipIf(testBackend() === "pglite")(
  "item 5 under concurrency: membership checks read what is locked (one statement each)",
  () => {
    let org: string;
    let team: string;
    let teamAdmin: Awaited<ReturnType<typeof person>>;

    beforeAll(async () => {
      org = await insertOrganization(h.db, unique("Race"));
      team = await insertTeam(h.db, { name: unique("Race team"), organizationId: org });
      teamAdmin = await person("race-team-admin");
      await addOrgMember(h.db, org, teamAdmin.id, "MEMBER");
      await addTeamMember(h.db, team, teamAdmin.id, "ADMIN");
    });

    /** Runs `sql` in a transaction held open until `request` waits on its lock, then commits. */
    async function whileHeld<T>(sql: string, values: unknown[], request: () => Promise<T>) {
      const client = await h.db.pool.connect();
      try {
        await client.query("BEGIN");
        await client.query(sql, values);
        const pending = request();
        await waitForLockWaiters(h.db, 1);
        await client.query("COMMIT");
        return await pending;
      } finally {
        client.release();
      }
    }

    async function orgMember(prefix: string, teamRole: "ADMIN" | "MEMBER" | null) {
      const p = await person(prefix);
      await addOrgMember(h.db, org, p.id, "MEMBER");
      if (teamRole) await addTeamMember(h.db, team, p.id, teamRole);
      return p;
    }

    const teamRole = async (userId: string) =>
      (
        await h.db.prisma.teamMember.findUnique({
          where: { teamId_userId: { teamId: team, userId } },
        })
      )?.role ?? null;

    /** The team admin removes `userId` while another transaction holds a change of their role. */
    const removeWhileRoleChanges = (userId: string, role: "ADMIN" | "MEMBER") =>
      whileHeld(
        `UPDATE team_members SET role = '${role}' WHERE team_id = $1::uuid AND user_id = $2::uuid`,
        [team, userId],
        () =>
          call(
            h.url,
            "mutation",
            "teams.removeMember",
            { teamId: team, userId },
            { credentials: teamAdmin.creds },
          ),
      );

    it("a removal waiting on a concurrent promotion to ADMIN is refused (403)", async () => {
      const target = await orgMember("race-promoted", "MEMBER");
      const res = await removeWhileRoleChanges(target.id, "ADMIN");
      expect(res.status).toBe(403);
      expect(await teamRole(target.id)).toBe("ADMIN");
    });

    it("a removal waiting on a concurrent demotion of an ADMIN goes through, and records the role it removed", async () => {
      const target = await orgMember("race-demoted", "ADMIN");
      const res = await removeWhileRoleChanges(target.id, "MEMBER");
      expect(res.status).toBe(200);
      expect(await teamRole(target.id)).toBeNull();
      expect(await auditDetails("team.member.remove", team)).toEqual({
        userId: target.id,
        role: "MEMBER",
        blockedKeys: 0,
      });
    });

    it("an addition waiting on a concurrent removal from the organization is refused like an unknown user", async () => {
      const target = await orgMember("race-leaving", null);
      const res = await whileHeld(
        `DELETE FROM organization_members WHERE organization_id = $1::uuid AND user_id = $2::uuid`,
        [org, target.id],
        () =>
          call(
            h.url,
            "mutation",
            "teams.addMember",
            { teamId: team, userId: target.id, role: "MEMBER" },
            { credentials: teamAdmin.creds },
          ),
      );
      expect(res.status).toBe(404);
      expect(res.error?.data.details).toEqual({ field: "userId" });
      expect(await teamRole(target.id)).toBeNull();
    });
  },
);

describe("item 9: an object the caller may not see is 404, exactly like an unknown id", () => {
  it("teams.get, teams.update, teams.addMember, keys.list, keys.create, keys.delete", async () => {
    const orgA = await insertOrganization(h.db, unique("Oracle A"));
    const orgB = await insertOrganization(h.db, unique("Oracle B"));
    const teamB = await insertTeam(h.db, { name: unique("Oracle team B"), organizationId: orgB });
    const adminA = await person("oracle-admin-a");
    await addOrgMember(h.db, orgA, adminA.id, "ORG_ADMIN");
    const region = await h.db.prisma.region.create({
      data: {
        name: unique("oracle region"),
        litellmBaseUrl: "http://127.0.0.1:1",
        litellmMasterKey: "sk-x",
      },
      select: { id: true },
    });
    const keyB = await h.db.prisma.apiKey.create({
      data: {
        name: "b key",
        teamId: teamB,
        regionId: region.id,
        litellmKeyId: unique("lk"),
        keyPrefix: "sk-gh-xx…",
      },
      select: { id: true },
    });
    const someone = await insertUser(h.db, { email: `${unique("someone")}@review.example.com` });
    const cases: [string, "query" | "mutation", (teamId: string, keyId: string) => unknown][] = [
      ["teams.get", "query", (teamId) => ({ teamId })],
      ["teams.update", "mutation", (teamId) => ({ teamId, name: "Renamed" })],
      ["teams.addMember", "mutation", (teamId) => ({ teamId, userId: someone, role: "MEMBER" })],
      ["keys.list", "query", (teamId) => ({ teamId })],
      ["keys.create", "mutation", (teamId) => ({ teamId, name: "probe", regionId: region.id })],
      ["keys.delete", "mutation", (_teamId, keyId) => ({ keyId })],
    ];
    for (const [path, type, input] of cases) {
      const hidden = await call(h.url, type, path, input(teamB, keyB.id), {
        credentials: adminA.creds,
      });
      const unknown = await call(
        h.url,
        type,
        path,
        input(crypto.randomUUID(), crypto.randomUUID()),
        { credentials: adminA.creds },
      );
      expect(unknown.status, path).toBe(404);
      expect(
        { status: hidden.status, code: hidden.error?.data.code, message: hidden.error?.message },
        path,
      ).toEqual({
        status: unknown.status,
        code: unknown.error?.data.code,
        message: unknown.error?.message,
      });
    }
    expect(await h.db.prisma.apiKey.count({ where: { id: keyB.id } })).toBe(1);
  });
});

describe("orgs.get: the caller's role comes from a direct lookup, not the first 1,000 members", () => {
  it("a member sorted after the first 1,000 sees the organization and their role", async () => {
    const org = await insertOrganization(h.db, unique("Big Org"));
    const tag = unique("big");
    await h.db.prisma.user.createMany({
      data: Array.from({ length: 1000 }, (_, i) => ({
        email: `a${String(i).padStart(4, "0")}-${tag}@review.example.com`,
        name: `A ${i}`,
        passwordHash: "x",
      })),
    });
    const early = await h.db.prisma.user.findMany({
      where: { email: { endsWith: `-${tag}@review.example.com` } },
      select: { id: true },
    });
    await h.db.prisma.organizationMember.createMany({
      data: early.map((u) => ({ organizationId: org, userId: u.id, role: "MEMBER" as const })),
    });
    const late = await person("late", { email: `zz-${tag}@review.example.com` });
    await addOrgMember(h.db, org, late.id, "ORG_ADMIN");

    const res = await call<Out<"orgs.get">>(
      h.url,
      "query",
      "orgs.get",
      { organizationId: org },
      { credentials: late.creds },
    );
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ myRole: "ORG_ADMIN", membersCount: 1001 });
  });
});

// Keeps the backend visible in the report (the vitest config runs this file on each).
it("runs on a known backend", () => {
  expect(["pglite", "postgres"]).toContain(testBackend());
});
