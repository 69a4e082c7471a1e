/**
 * Invitations over real HTTP, with the mail read from a real SMTP receiver: an org admin
 * invites, the person accepts from the link (account, memberships, a signed-in session as
 * auth.login gives); a link works once, not after its expiry, not once revoked, not once
 * resent (the new one does); who may invite what; an existing account keeps its password.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "../../src/auth/password.ts";
import {
  addOrgMember,
  addTeamMember,
  insertOrganization,
  insertRegion,
  insertTeam,
  insertUser,
  people,
  type Person,
  uniqueName,
} from "../support/fixtures.ts";
import { startHarness, type MailHarness } from "../support/harness.ts";
import type { Out } from "../support/http.ts";
import { waitForToken } from "../support/mail-links.ts";

let h: MailHarness;
let person: ReturnType<typeof people>;
let orgAdmin: Person;
let teamAdmin: Person;
let member: Person;
let orgId: string;
let teamId: string;
let otherTeamId: string;
const PASSWORD = "a long enough password";

beforeAll(async () => {
  h = await startHarness({ smtp: true });
  person = people(h, "inv.test");
  orgId = await insertOrganization(h.db, uniqueName("org"));
  const otherOrg = await insertOrganization(h.db, uniqueName("other"));
  teamId = await insertTeam(h.db, { name: uniqueName("team"), organizationId: orgId });
  otherTeamId = await insertTeam(h.db, { name: uniqueName("team"), organizationId: otherOrg });
  orgAdmin = await person("org-admin");
  await addOrgMember(h.db, orgId, orgAdmin.id, "ORG_ADMIN");
  teamAdmin = await person("team-admin");
  await addOrgMember(h.db, orgId, teamAdmin.id, "MEMBER");
  await addTeamMember(h.db, teamId, teamAdmin.id, "ADMIN");
  member = await person("member");
  await addOrgMember(h.db, orgId, member.id, "MEMBER");
  await addTeamMember(h.db, teamId, member.id, "MEMBER");
});
afterAll(() => h?.close());

type Invitation = Out<"invitations.create">;

async function invite(by: Person, input: Record<string, unknown>): Promise<Invitation> {
  return h.mutationOk<Invitation>("invitations.create", input, by.creds);
}

function sessionCookie(headers: Headers): string {
  const raw = headers.getSetCookie().find((c) => c.startsWith("gh_session="));
  if (!raw) throw new Error("no session cookie");
  return raw.split(";")[0]!.slice("gh_session=".length);
}

describe("invitations", () => {
  it("an org admin invites; the link creates the account, the memberships and a session", async () => {
    const email = "newcomer-1@inv.test";
    const created = await invite(orgAdmin, { email, teamId, teamRole: "KEY_CREATOR" });
    expect(created).toMatchObject({
      email,
      organization: { id: orgId },
      orgRole: "MEMBER",
      team: { id: teamId },
      teamRole: "KEY_CREATOR",
      invitedBy: { id: orgAdmin.id },
      status: "pending",
    });
    expect(JSON.stringify(created)).not.toContain("ghi_");
    const { token, mail } = await waitForToken(h.smtp, email, "/invitations/accept");
    expect(mail.text).toContain(`${h.url}/invitations/accept?token=`);
    expect(mail.html).toContain("/invitations/accept?token=");

    const res = await h.mutation<Out<"invitations.accept">>("invitations.accept", {
      token,
      name: "New Comer",
      password: PASSWORD,
    });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({
      status: "signedIn",
      me: {
        kind: "user",
        user: { email, name: "New Comer" },
        organizations: [{ id: orgId, role: "MEMBER" }],
      },
    });
    const cookie = sessionCookie(res.headers);
    const me = await h.queryOk<Out<"auth.me">>("auth.me", undefined, { cookie });
    expect(me.kind === "user" && me.user.email).toBe(email);
    const team = await h.queryOk<Out<"teams.get">>("teams.get", { teamId }, { cookie });
    expect(team.id).toBe(teamId);
    const { rows } = await h.db.pool.query(
      `SELECT m.role FROM team_members m JOIN users u ON u.id = m.user_id
        WHERE m.team_id = $1 AND u.email = $2`,
      [teamId, email],
    );
    expect(rows).toEqual([{ role: "KEY_CREATOR" }]);
    // The new password signs in.
    const login = await h.mutation("auth.login", { email, password: PASSWORD });
    expect(login.status).toBe(200);

    // Used once: the same link again is refused, with the one answer for unusable links.
    const again = await h.mutation("invitations.accept", { token, name: "X", password: PASSWORD });
    expect(again.status).toBe(400);
    expect(again.error?.data.fieldErrors).toHaveProperty("token");

    const audit = await h.db.pool.query(
      `SELECT action, details::text FROM audit_events WHERE target_id = $1 ORDER BY created_at, action`,
      [created.id],
    );
    expect(audit.rows.map((r: { action: string }) => r.action).sort()).toEqual([
      "invitation.accept",
      "invitation.create",
    ]);
    expect(JSON.stringify(audit.rows)).not.toContain(token);
  });

  it("an expired link is refused; a revoked one too; a resent one replaces the old", async () => {
    const expiring = "expiring@inv.test";
    const created = await invite(orgAdmin, { email: expiring, organizationId: orgId });
    const { token: expiredToken } = await waitForToken(h.smtp, expiring, "/invitations/accept");
    // Seven days later (the sessions of this test's people would not last that long).
    await h.db.pool.query(`UPDATE invitations SET expires_at = $2 WHERE id = $1`, [
      created.id,
      h.clock.now(),
    ]);
    {
      const late = await h.mutation("invitations.accept", {
        token: expiredToken,
        name: "Late",
        password: PASSWORD,
      });
      expect(late.status).toBe(400);
      expect(late.error?.data.fieldErrors).toHaveProperty("token");
      // Listed as expired until resent.
      const listed = await h.queryOk<Out<"invitations.list">>(
        "invitations.list",
        { organizationId: orgId },
        orgAdmin.creds,
      );
      const row = listed.items.find((i) => i.email === expiring)!;
      expect(row.status).toBe("expired");

      // Resend: a new link; the old one stays dead, the new one works.
      const resent = await h.mutationOk<Invitation>(
        "invitations.resend",
        { invitationId: row.id },
        orgAdmin.creds,
      );
      expect(resent.status).toBe("pending");
      const { token: fresh } = await waitForToken(
        h.smtp,
        expiring,
        "/invitations/accept",
        new Set([expiredToken]),
      );
      const old = await h.mutation("invitations.accept", {
        token: expiredToken,
        name: "Late",
        password: PASSWORD,
      });
      expect(old.status).toBe(400);
      const ok = await h.mutation("invitations.accept", {
        token: fresh,
        name: "Late",
        password: PASSWORD,
      });
      expect(ok.status).toBe(200);
    }

    const revoked = "revoked@inv.test";
    const inv = await invite(orgAdmin, { email: revoked, organizationId: orgId });
    const { token } = await waitForToken(h.smtp, revoked, "/invitations/accept");
    const r = await h.mutationOk<Invitation>(
      "invitations.revoke",
      { invitationId: inv.id },
      orgAdmin.creds,
    );
    expect(r.status).toBe("revoked");
    const refused = await h.mutation("invitations.accept", {
      token,
      name: "R",
      password: PASSWORD,
    });
    expect(refused.status).toBe(400);
    expect(refused.error?.message).toMatch(/not valid/);
    const listed = await h.queryOk<Out<"invitations.list">>(
      "invitations.list",
      { organizationId: orgId },
      orgAdmin.creds,
    );
    expect(listed.items.map((i) => i.email)).not.toContain(revoked);
    // A revoked invitation cannot be resent or revoked again.
    const twice = await h.mutation(
      "invitations.revoke",
      { invitationId: inv.id },
      {
        credentials: orgAdmin.creds,
      },
    );
    expect(twice.status).toBe(412);
  });

  it("two concurrent accepts of one link: exactly one succeeds", async () => {
    const email = "race@inv.test";
    await invite(orgAdmin, { email, organizationId: orgId });
    const { token } = await waitForToken(h.smtp, email, "/invitations/accept");
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        h.mutation("invitations.accept", { token, name: "Race", password: PASSWORD }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400]);
    const { rows } = await h.db.pool.query(
      `SELECT count(*)::int AS n FROM users WHERE email = $1`,
      [email],
    );
    expect(rows[0].n).toBe(1);
  });

  it("an existing account gets the memberships, keeps its password, and is not signed in by the link", async () => {
    const email = "existing@inv.test";
    const passwordHash = await hashPassword("the existing password");
    const userId = await insertUser(h.db, { email, passwordHash });
    await invite(orgAdmin, { email, teamId, teamRole: "READ_ONLY" });
    const { token } = await waitForToken(h.smtp, email, "/invitations/accept");
    const preview = await h.query<Out<"invitations.preview">>("invitations.preview", { token });
    expect(preview.data).toMatchObject({ email, accountExists: true, ssoEnforced: false });
    const res = await h.mutation<Out<"invitations.accept">>("invitations.accept", {
      token,
      name: "Ignored",
    });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ status: "joined", email, signInWith: "password" });
    // A week-long link proves the inbox, not the account: no session from it.
    expect(res.headers.get("set-cookie")).toBeNull();
    const { rows: sessions } = await h.db.pool.query(
      `SELECT count(*)::int AS n FROM sessions WHERE user_id = $1`,
      [userId],
    );
    expect(sessions[0].n).toBe(0);
    const { rows: roles } = await h.db.pool.query(
      `SELECT role FROM team_members WHERE team_id = $1 AND user_id = $2`,
      [teamId, userId],
    );
    expect(roles).toEqual([{ role: "READ_ONLY" }]);
    const user = await h.db.prisma.user.findUniqueOrThrow({ where: { id: userId } });
    expect(await verifyPassword(user.passwordHash!, "the existing password")).toBe(true);
    expect(user.name).not.toBe("Ignored");
  });

  it("someone back in a team they left gets their keys there back", async () => {
    const email = "returning@inv.test";
    const userId = await insertUser(h.db, { email });
    await addOrgMember(h.db, orgId, userId, "MEMBER");
    // An inactive region: the reinstate job stays queued for the assertion.
    const region = await insertRegion(h.db, {
      name: uniqueName("region"),
      url: "http://127.0.0.1:9",
      isActive: false,
    });
    const key = await h.db.prisma.apiKey.create({
      data: {
        name: "left behind",
        teamId,
        regionId: region.id,
        creatorId: userId,
        litellmKeyId: uniqueName("litellm-key"),
        keyPrefix: "sk-gh-ret…",
      },
      select: { id: true },
    });
    await h.db.prisma.apiKeyBlock.create({ data: { apiKeyId: key.id, reason: "owner_left" } });
    await invite(orgAdmin, { email, teamId });
    const { token } = await waitForToken(h.smtp, email, "/invitations/accept");
    expect((await h.mutation("invitations.accept", { token, name: "Back" })).status).toBe(200);
    expect(await h.db.prisma.apiKeyBlock.count({ where: { apiKeyId: key.id } })).toBe(0);
    const jobs = await h.db.prisma.job.findMany({
      where: { apiKeyId: key.id, kind: "litellm.reinstateKey" },
    });
    expect(jobs).toHaveLength(1);
  });

  it("a new account without a password is a field error, and the link stays usable", async () => {
    const email = "nopassword@inv.test";
    await invite(orgAdmin, { email, organizationId: orgId });
    const { token } = await waitForToken(h.smtp, email, "/invitations/accept");
    const res = await h.mutation("invitations.accept", { token, name: "No Password" });
    expect(res.status).toBe(400);
    expect(res.error?.data.fieldErrors).toHaveProperty("password");
    const ok = await h.mutation("invitations.accept", { token, name: "N", password: PASSWORD });
    expect(ok.status).toBe(200);
  });

  it("where the organization enforces SSO, accepting makes an account without a password", async () => {
    const email = "sso-newcomer@inv.test";
    await h.db.pool.query(`UPDATE organizations SET sso_enforced = true WHERE id = $1`, [orgId]);
    try {
      await invite(orgAdmin, { email, teamId });
      const { token } = await waitForToken(h.smtp, email, "/invitations/accept");
      const preview = await h.query<Out<"invitations.preview">>("invitations.preview", { token });
      expect(preview.data).toMatchObject({ accountExists: false, ssoEnforced: true });
      const res = await h.mutation<Out<"invitations.accept">>("invitations.accept", {
        token,
        name: "Sso Newcomer",
        password: PASSWORD,
      });
      expect(res.data).toEqual({ status: "joined", email, signInWith: "sso" });
      expect(res.headers.get("set-cookie")).toBeNull();
      const { rows } = await h.db.pool.query(
        `SELECT u.password_hash, m.role FROM users u
           JOIN team_members m ON m.user_id = u.id AND m.team_id = $2
          WHERE u.email = $1`,
        [email, teamId],
      );
      // The password given is not kept: it could never be used.
      expect(rows).toEqual([{ password_hash: null, role: "MEMBER" }]);
      const login = await h.mutation("auth.login", { email, password: PASSWORD });
      expect(login.status).toBe(401);
    } finally {
      await h.db.pool.query(`UPDATE organizations SET sso_enforced = false WHERE id = $1`, [orgId]);
    }
  });

  it("who may invite what", async () => {
    // A team admin: their team, team roles; not an organization role, not another team.
    const byTeamAdmin = await invite(teamAdmin, {
      email: "by-team-admin@inv.test",
      teamId,
      teamRole: "ADMIN",
    });
    expect(byTeamAdmin.orgRole).toBe("MEMBER");
    const promote = await h.mutation(
      "invitations.create",
      { email: "x1@inv.test", teamId, orgRole: "ORG_ADMIN", organizationId: orgId },
      { credentials: teamAdmin.creds },
    );
    expect(promote.status).toBe(403);
    const orgOnly = await h.mutation(
      "invitations.create",
      { email: "x2@inv.test", organizationId: orgId },
      { credentials: teamAdmin.creds },
    );
    expect(orgOnly.status).toBe(403);
    const otherTeam = await h.mutation(
      "invitations.create",
      { email: "x3@inv.test", teamId: otherTeamId },
      { credentials: teamAdmin.creds },
    );
    expect(otherTeam.status).toBe(400);
    expect(otherTeam.error?.data.fieldErrors).toHaveProperty("teamId");
    // A plain member may not invite.
    const byMember = await h.mutation(
      "invitations.create",
      { email: "x4@inv.test", teamId },
      { credentials: member.creds },
    );
    expect(byMember.status).toBe(403);
    // The team admin sees their team's invitations, not the organization's.
    const teamList = await h.queryOk<Out<"invitations.list">>(
      "invitations.list",
      { teamId },
      teamAdmin.creds,
    );
    expect(teamList.items.map((i) => i.email)).toContain("by-team-admin@inv.test");
    const orgList = await h.query(
      "invitations.list",
      { organizationId: orgId },
      {
        credentials: teamAdmin.creds,
      },
    );
    expect(orgList.status).toBe(403);
    // Another team's admin cannot revoke it (not found, as an unknown id).
    const stranger = await person("stranger");
    const revoke = await h.mutation(
      "invitations.revoke",
      { invitationId: byTeamAdmin.id },
      { credentials: stranger.creds },
    );
    expect(revoke.status).toBe(404);
  });

  it("field errors: a role without its scope, a team outside the organization, a duplicate", async () => {
    const noOrg = await h.mutation(
      "invitations.create",
      { email: "f1@inv.test", orgRole: "MEMBER" },
      { credentials: orgAdmin.creds },
    );
    expect(noOrg.error?.data.fieldErrors).toHaveProperty("orgRole");
    const noTeam = await h.mutation(
      "invitations.create",
      { email: "f2@inv.test", organizationId: orgId, teamRole: "ADMIN" },
      { credentials: orgAdmin.creds },
    );
    expect(noTeam.error?.data.fieldErrors).toHaveProperty("teamRole");
    const outside = await h.mutation(
      "invitations.create",
      { email: "f3@inv.test", organizationId: orgId, teamId: otherTeamId },
      { credentials: orgAdmin.creds },
    );
    expect(outside.status).toBe(400);
    expect(outside.error?.data.fieldErrors).toHaveProperty("teamId");
    await invite(orgAdmin, { email: "dup@inv.test", organizationId: orgId });
    const dup = await h.mutation(
      "invitations.create",
      { email: "DUP@inv.test", organizationId: orgId },
      { credentials: orgAdmin.creds },
    );
    expect(dup.status).toBe(409);
    expect(dup.error?.data.details).toMatchObject({ field: "email" });
  });
});
