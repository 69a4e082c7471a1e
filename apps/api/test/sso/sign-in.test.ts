/**
 * Signing in through the organization's identity provider over real HTTP: the account is
 * created just in time with the roles its groups map to, an existing account is linked only
 * by a verified email, and the client secret never comes back.
 */
import { describe, expect, it } from "vitest";
import type { Out } from "../support/http.ts";
import * as fx from "../support/fixtures.ts";
import { SSO_CLIENT } from "../support/sso.ts";
import {
  auditOf,
  h,
  me,
  org,
  orgAdmin,
  person,
  platform,
  providerId,
  research,
  signIn,
  test,
  userIdOf,
} from "./sso-suite.ts";

const newcomer = person("ann", ["eng", "platform-leads", "research"]);
const unverified = person("bob", ["eng"], { emailVerified: false });
const admin = person("olga", ["org-admins"]);
const disabled = person("dora", ["eng"]);
const stranger = person("stan", ["eng"]);

describe("SSO sign-in", () => {
  it("creates the user with the organization and team roles their groups map to, and a session", async () => {
    const result = await signIn(newcomer);
    expect(result.location).toBe("/");
    expect(await me(result.creds)).toBe(200);
    const userId = (await userIdOf(newcomer.email))!;
    const user = await h.db.prisma.user.findUniqueOrThrow({ where: { id: userId } });
    // An SSO-only account: no password to guess.
    expect(user.passwordHash).toBeNull();
    expect(
      await h.db.prisma.organizationMember.findUniqueOrThrow({
        where: { organizationId_userId: { organizationId: org, userId } },
      }),
    ).toMatchObject({ role: "MEMBER", source: "SSO" });
    const teams = await h.db.prisma.teamMember.findMany({
      where: { userId },
      orderBy: { teamId: "asc" },
    });
    expect(Object.fromEntries(teams.map((t) => [t.teamId, [t.role, t.source]]))).toEqual({
      // platform-leads (ADMIN) wins over eng (KEY_CREATOR).
      [platform]: ["ADMIN", "SSO"],
      [research]: ["MEMBER", "SSO"],
    });
    const session = await h.db.prisma.session.findFirstOrThrow({ where: { userId } });
    expect(session).toMatchObject({ authMethod: "SSO", idpProviderId: providerId });
    expect(session.idpSid).toEqual(expect.any(String));
    // The same idle and absolute limits as a password sign-in.
    expect(session.absoluteExpiresAt.getTime() - session.createdAt.getTime()).toBe(
      h.config.session.absoluteMs,
    );
    expect(await auditOf("auth.sso_login", userId)).toHaveLength(1);
    const added = await auditOf("membership.sso_add", userId);
    expect(added.map((e) => [e.targetId, (e.details as { group: string }).group]).sort()).toEqual(
      [
        [org, "eng"],
        [platform, "platform-leads"],
        [research, "research"],
      ].sort(),
    );
    for (const event of added)
      expect((event.details as { ruleId: string }).ruleId).toEqual(expect.any(String));

    // Signing in again is the same person, the same memberships, a new session.
    const again = await signIn(newcomer);
    expect(again.location).toBe("/");
    expect(await userIdOf(newcomer.email)).toBe(userId);
    expect(await h.db.prisma.userIdentity.count({ where: { userId } })).toBe(1);
    expect(await auditOf("membership.sso_add", userId)).toHaveLength(3);
  });

  it("maps the organization admin role", async () => {
    const result = await signIn(admin);
    const userId = (await userIdOf(admin.email))!;
    const detail = await h.queryOk<Out<"orgs.get">>(
      "orgs.get",
      { organizationId: org },
      result.creds,
    );
    expect(detail.myRole).toBe("ORG_ADMIN");
    expect(detail.members.find((m) => m.userId === userId)).toMatchObject({ source: "SSO" });
    expect(detail.ssoEnforced).toBe(false);
  });

  it("never links an existing account by an unverified email claim; a verified one links it (audited)", async () => {
    const existing = await fx.insertUser(h.db, { email: unverified.email });
    const refused = await signIn(unverified);
    expect(refused).toEqual({ location: "/login?sso_error=email_unverified", creds: null });
    expect(await h.db.prisma.userIdentity.count({ where: { userId: existing } })).toBe(0);
    expect(await h.db.prisma.session.count({ where: { userId: existing } })).toBe(0);
    expect(await h.db.prisma.teamMember.count({ where: { userId: existing } })).toBe(0);

    test.idp.setEmailVerified(unverified.sub, true);
    const linked = await signIn(unverified);
    expect(linked.location).toBe("/");
    expect(await h.db.prisma.userIdentity.count({ where: { userId: existing } })).toBe(1);
    expect(await auditOf("auth.sso_link", existing)).toHaveLength(1);
  });

  it("refuses a disabled account, and a newcomer when the provider does not provision", async () => {
    expect((await signIn(disabled)).location).toBe("/");
    const userId = (await userIdOf(disabled.email))!;
    await h.db.prisma.user.update({ where: { id: userId }, data: { isActive: false } });
    expect(await signIn(disabled)).toEqual({
      location: "/login?sso_error=not_allowed",
      creds: null,
    });

    await h.mutationOk(
      "identityProviders.update",
      { providerId, jitProvisioning: false },
      orgAdmin.creds,
    );
    try {
      expect(await signIn(stranger)).toEqual({
        location: "/login?sso_error=not_allowed",
        creds: null,
      });
      expect(await userIdOf(stranger.email)).toBeNull();
    } finally {
      await h.mutationOk(
        "identityProviders.update",
        { providerId, jitProvisioning: true },
        orgAdmin.creds,
      );
    }
  });

  it("sends an email no provider serves back to the login page", async () => {
    const start = await fetch(`${h.url}/auth/sso/start?email=someone%40elsewhere.test`, {
      redirect: "manual",
    });
    expect(start.status).toBe(302);
    expect(start.headers.get("location")).toBe("/login?sso_error=no_provider");
  });

  it("keeps the client secret out of every answer and audit event", async () => {
    const listed = await h.queryOk<Out<"identityProviders.list">>(
      "identityProviders.list",
      { organizationId: org },
      orgAdmin.creds,
    );
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0]).toMatchObject({
      id: providerId,
      clientId: SSO_CLIENT.clientId,
      domains: ["acme.test"],
      redirectUri: `${h.url}/auth/sso/callback`,
    });
    expect(JSON.stringify(listed)).not.toContain(SSO_CLIENT.clientSecret);
    const events = await h.db.prisma.auditEvent.findMany();
    expect(JSON.stringify(events)).not.toContain(SSO_CLIENT.clientSecret);
    // Sealed at rest.
    const stored = await h.db.prisma.identityProvider.findUniqueOrThrow({
      where: { id: providerId },
    });
    expect(stored.clientSecretSealed).not.toContain(SSO_CLIENT.clientSecret);
    expect(stored.clientSecretSealed).toMatch(/^v1\./);
  });
});
