/**
 * Team membership stays inside the organization: teams.addMember refuses a user of another
 * organization like an unknown one (also while a removal from the organization races it),
 * users.lookup confirms no email outside a team admin's organizations, and a team admin
 * cannot remove or demote another team admin (the organization admin can; a team admin
 * may step down), with concurrent promotions and demotions decided by the lock.
 */
import { testBackend } from "@gatehouse/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWithRoot, type Harness } from "../support/harness.ts";
import { type Credentials, type Out } from "../support/http.ts";
import * as fx from "../support/fixtures.ts";
import { auditDetails, waitForLockWaiters } from "../support/database.ts";

let h: Harness;
let person: fx.PersonMaker;
let root: Credentials;
const unique = fx.uniqueName;

beforeAll(async () => ({ h, person, root } = await startWithRoot("teams.example.com")));
afterAll(() => h?.close());

describe("team membership stays inside the organization; team admins are not removed from below", () => {
  let acme: string;
  let globex: string;
  let acmeTeam: string;
  let teamAdmin: Awaited<ReturnType<typeof person>>;
  let acmeAdmin: Awaited<ReturnType<typeof person>>;
  let globexUser: Awaited<ReturnType<typeof person>>;
  let acmeUser: Awaited<ReturnType<typeof person>>;

  beforeAll(async () => {
    acme = await fx.insertOrganization(h.db, unique("Acme"));
    globex = await fx.insertOrganization(h.db, unique("Globex"));
    acmeTeam = await fx.insertTeam(h.db, { name: unique("Acme team"), organizationId: acme });
    teamAdmin = await person("acme-team-admin");
    acmeAdmin = await person("acme-org-admin");
    globexUser = await person("globex-user");
    acmeUser = await person("acme-user");
    await fx.addOrgMember(h.db, acme, teamAdmin.id, "MEMBER");
    await fx.addOrgMember(h.db, acme, acmeAdmin.id, "ORG_ADMIN");
    await fx.addOrgMember(h.db, acme, acmeUser.id, "MEMBER");
    await fx.addOrgMember(h.db, globex, globexUser.id, "MEMBER");
    await fx.addTeamMember(h.db, acmeTeam, teamAdmin.id, "ADMIN");
  });

  it("teams.addMember refuses a user of another organization like an unknown user, for every caller", async () => {
    const unknown = await h.mutation(
      "teams.addMember",
      { teamId: acmeTeam, userId: crypto.randomUUID(), role: "ADMIN" },
      { credentials: teamAdmin.creds },
    );
    expect(unknown.status).toBe(404);
    for (const creds of [teamAdmin.creds, acmeAdmin.creds, root]) {
      const res = await h.mutation(
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
    await h.mutationOk(
      "orgs.addMember",
      { organizationId: acme, userId: newcomer.id, role: "MEMBER" },
      root,
    );
    await h.mutationOk(
      "teams.addMember",
      { teamId: acmeTeam, userId: newcomer.id, role: "MEMBER" },
      teamAdmin.creds,
    );
  });

  it("a team admin cannot remove or demote another team admin (403); the org admin can; a team admin may step down", async () => {
    const peer = await person("peer-admin");
    await fx.addOrgMember(h.db, acme, peer.id, "MEMBER");
    await fx.addTeamMember(h.db, acmeTeam, peer.id, "ADMIN");
    // The review's attack, by a peer: remove the team admin, or demote them.
    const byPeer = (path: string, input: object) =>
      h.mutation(
        path,
        { teamId: acmeTeam, userId: teamAdmin.id, ...input },
        { credentials: peer.creds },
      );
    expect((await byPeer("teams.removeMember", {})).status).toBe(403);
    expect((await byPeer("teams.setMemberRole", { role: "MEMBER" })).status).toBe(403);
    expect(await fx.teamRoleOf(h.db, acmeTeam, teamAdmin.id)).toBe("ADMIN");

    // A team admin still manages those below: promote and demote a member.
    const setRole = (userId: string, role: string, creds: Credentials) =>
      h.mutationOk("teams.setMemberRole", { teamId: acmeTeam, userId, role }, creds);
    await h.mutationOk(
      "teams.addMember",
      { teamId: acmeTeam, userId: acmeUser.id, role: "KEY_CREATOR" },
      teamAdmin.creds,
    );
    await setRole(acmeUser.id, "READ_ONLY", teamAdmin.creds);
    // Stepping down is one's own choice; the organization's admin arbitrates between peers.
    await setRole(peer.id, "MEMBER", peer.creds);
    await setRole(peer.id, "ADMIN", acmeAdmin.creds);
    await h.mutationOk(
      "teams.removeMember",
      { teamId: acmeTeam, userId: peer.id },
      acmeAdmin.creds,
    );
  });

  it("users.lookup does not confirm emails outside a team admin's organizations (null, like an unknown email)", async () => {
    const lookup = (email: string, creds: Credentials) =>
      h.queryOk<Out<"users.lookup">>("users.lookup", { email }, creds);
    expect(await lookup(globexUser.email, teamAdmin.creds)).toBeNull();
    expect(await lookup("nobody-at-all@review.example.com", teamAdmin.creds)).toBeNull();
    expect((await lookup(acmeUser.email, teamAdmin.creds))?.id).toBe(acmeUser.id);
    // Nor an org admin's: they too find only fx.people they already share an organization with.
    expect(await lookup(globexUser.email, acmeAdmin.creds)).toBeNull();
    expect((await lookup(acmeUser.email, acmeAdmin.creds))?.id).toBe(acmeUser.id);
  });
});

// PostgreSQL only: PGlite runs one transaction at a time for every connection, so the held
// transaction would stall the request's own session lookup rather than its lock.
describe.skipIf(testBackend() === "pglite")(
  "team membership under concurrency: membership checks read what is locked (one statement each)",
  () => {
    let org: string;
    let team: string;
    let teamAdmin: Awaited<ReturnType<typeof person>>;

    beforeAll(async () => {
      org = await fx.insertOrganization(h.db, unique("Race"));
      team = await fx.insertTeam(h.db, { name: unique("Race team"), organizationId: org });
      teamAdmin = await person("race-team-admin");
      await fx.addOrgMember(h.db, org, teamAdmin.id, "MEMBER");
      await fx.addTeamMember(h.db, team, teamAdmin.id, "ADMIN");
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
      await fx.addOrgMember(h.db, org, p.id, "MEMBER");
      if (teamRole) await fx.addTeamMember(h.db, team, p.id, teamRole);
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
          h.mutation(
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
      expect(await auditDetails(h.db, "team.member.remove", team)).toEqual({
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
          h.mutation(
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
