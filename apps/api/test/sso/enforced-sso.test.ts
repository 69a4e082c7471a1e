/**
 * Enforced single sign-on per organization: its members can no longer sign in with a
 * password (after the password check, so nothing is revealed), their password sessions end
 * when it is enforced, system admins keep password sign-in as break-glass, and SSO sessions
 * are untouched. It cannot be enforced while no provider can sign the members in.
 */
import { describe, expect, it } from "vitest";
import { ssoRequired } from "@gatehouse/db";
import type { Out } from "../support/http.ts";
import * as fx from "../support/fixtures.ts";
import { auditOf, h, me, org, orgAdmin, person, signIn } from "./sso-suite.ts";

const ssoPerson = person("sam", ["eng"]);
const PASSWORD = "a long enough password for sign-in";

async function passwordUser(email: string, isSystemAdmin = false) {
  const admin = await fx.insertUserWithSession(h, {
    email: `creator-${email}`,
    isSystemAdmin: true,
  });
  const created = await h.mutationOk<Out<"users.create">>(
    "users.create",
    { email, name: email, password: PASSWORD, isSystemAdmin },
    admin.creds,
  );
  return created.id;
}

const login = (email: string, password = PASSWORD) => h.mutation("auth.login", { email, password });

describe("orgs.setSsoEnforced", () => {
  it("refuses password sign-in of members, ends their password sessions, keeps system admins and SSO sessions", async () => {
    const memberId = await passwordUser("pat@members.test");
    const breakGlass = await passwordUser("root@members.test", true);
    await fx.addOrgMember(h.db, org, memberId, "MEMBER");
    await fx.addOrgMember(h.db, org, breakGlass, "MEMBER");
    const memberLogin = await login("pat@members.test");
    expect(memberLogin.status).toBe(200);
    const memberSession = {
      cookie: /gh_session=([^;]+)/.exec(memberLogin.headers.get("set-cookie") ?? "")![1]!,
    };
    const sso = await signIn(ssoPerson);
    expect(await me(sso.creds)).toBe(200);
    expect(await ssoRequired(h.db, memberId)).toBe(false);

    const result = await h.mutationOk<Out<"orgs.setSsoEnforced">>(
      "orgs.setSsoEnforced",
      { organizationId: org, enforced: true },
      orgAdmin.creds,
    );
    expect(result.enforced).toBe(true);
    expect(result.endedSessions).toBeGreaterThanOrEqual(1);
    expect(await ssoRequired(h.db, memberId)).toBe(true);
    expect(await ssoRequired(h.db, breakGlass)).toBe(false);

    // The members' password sessions ended (the org admin's who enforced it too: they sign
    // in by SSO from now on); the SSO one did not.
    expect(await me(memberSession)).toBe(401);
    expect(await me(orgAdmin.creds)).toBe(401);
    expect(await me(sso.creds)).toBe(200);
    // The right password: a clear refusal. A wrong one: the usual answer (nothing revealed).
    const refused = await login("pat@members.test");
    expect(refused.status).toBe(403);
    expect(refused.error?.message).toBe("Your organization requires single sign-on");
    expect((await login("pat@members.test", "a wrong password, long enough")).status).toBe(401);
    // Break-glass.
    expect((await login("root@members.test")).status).toBe(200);
    // SSO sign-in still works.
    expect((await signIn(ssoPerson)).location).toBe("/");
    const root = await fx.insertUserWithSession(h, {
      email: "root2@members.test",
      isSystemAdmin: true,
    });
    const detail = await h.queryOk<Out<"orgs.get">>(
      "orgs.get",
      { organizationId: org },
      root.creds,
    );
    expect(detail.ssoEnforced).toBe(true);
    const events = await auditOf("org.setSsoEnforced", orgAdmin.id);
    expect(events.at(-1)?.details).toMatchObject({ enforced: true, from: false });

    await h.mutationOk("orgs.setSsoEnforced", { organizationId: org, enforced: false }, root.creds);
    expect((await login("pat@members.test")).status).toBe(200);
  });

  it("cannot be enforced on an organization no provider signs in", async () => {
    const lonely = await fx.insertOrganization(h.db, "No provider");
    const admin = await fx.insertUserWithSession(h, { email: "lonely-admin@members.test" });
    await fx.addOrgMember(h.db, lonely, admin.id, "ORG_ADMIN");
    const refused = await h.mutation(
      "orgs.setSsoEnforced",
      { organizationId: lonely, enforced: true },
      { credentials: admin.creds },
    );
    expect(refused.status).toBe(412);
    const org = await h.db.prisma.organization.findUniqueOrThrow({ where: { id: lonely } });
    expect(org.ssoEnforced).toBe(false);
  });
});
