import { describe, expect, it } from "vitest";
import {
  emailVouchedFor,
  desiredSsoMemberships,
  emailDomain,
  providerServesEmail,
  ssoRequired,
  ssoSyncPlan,
  type CurrentMembership,
  type SsoGroupRule,
} from "./sso.ts";
import type { OrgRole, TeamRole } from "./roles.ts";

describe("ssoRequired", () => {
  it.each([
    [{ isSystemAdmin: false, memberOfEnforcingOrganization: true }, true],
    [{ isSystemAdmin: false, memberOfEnforcingOrganization: false }, false],
    // Break-glass: system admins keep password sign-in.
    [{ isSystemAdmin: true, memberOfEnforcingOrganization: true }, false],
    [{ isSystemAdmin: true, memberOfEnforcingOrganization: false }, false],
  ])("%o -> %s", (person, expected) => {
    expect(ssoRequired(person)).toBe(expected);
  });
});

describe("emailVouchedFor", () => {
  it.each([
    { claims: { email_verified: true }, vouched: true },
    { claims: { email_verified: "true" }, vouched: true },
    { claims: { email_verified: false }, vouched: false },
    { claims: { email_verified: "false" }, vouched: false },
    { claims: { email_verified: 1 }, vouched: false },
    { claims: {}, vouched: false },
    // Entra ID: no email_verified, the optional xms_edov instead.
    { claims: { xms_edov: true }, vouched: true },
    { claims: { xms_edov: false }, vouched: false },
    { claims: { email_verified: false, xms_edov: true }, vouched: true },
  ])("$claims -> $vouched", ({ claims, vouched }) => {
    expect(emailVouchedFor(claims)).toBe(vouched);
  });
});

describe("providerServesEmail", () => {
  it.each<[string[], string, boolean]>([
    [["example.com"], "Ann@Example.COM", true],
    [["example.com"], "ann@sub.example.com", false],
    [["example.com"], "ann@example.com.evil.test", false],
    [["a.test", "example.com"], "bob@a.test", true],
    [["example.com"], "no-at-sign", false],
    [[], "ann@example.com", false],
  ])("%o serves %s: %s", (domains, email, expected) => {
    expect(providerServesEmail(domains, email)).toBe(expected);
  });

  it("takes the domain after the last @", () => {
    expect(emailDomain('"a@b"@example.com')).toBe("example.com");
  });
});

const rule = (r: Partial<SsoGroupRule> & { id: string; group: string }): SsoGroupRule => ({
  organizationId: "org1",
  orgRole: null,
  teamId: null,
  teamRole: null,
  ...r,
});

describe("desiredSsoMemberships", () => {
  const rules = [
    rule({ id: "r1", group: "eng" }),
    rule({ id: "r2", group: "eng-admins", orgRole: "ORG_ADMIN" }),
    rule({ id: "r3", group: "eng", teamId: "t1", teamRole: "MEMBER" }),
    rule({ id: "r4", group: "leads", teamId: "t1", teamRole: "ADMIN" }),
    rule({ id: "r5", group: "ops", organizationId: "org2", teamId: "t2" }),
  ];

  it.each<[string[], Record<string, OrgRole>, Record<string, TeamRole>]>([
    [[], {}, {}],
    [["eng"], { org1: "MEMBER" }, { t1: "MEMBER" }],
    // The highest role wins when rules meet.
    [["eng", "eng-admins"], { org1: "ORG_ADMIN" }, { t1: "MEMBER" }],
    [["eng", "leads"], { org1: "MEMBER" }, { t1: "ADMIN" }],
    // A team rule grants its organization as MEMBER.
    [["ops"], { org2: "MEMBER" }, { t2: "MEMBER" }],
    [["unknown"], {}, {}],
  ])("groups %o", (groups, orgs, teams) => {
    const desired = desiredSsoMemberships(rules, groups);
    expect(Object.fromEntries([...desired.orgs].map(([id, m]) => [id, m.role]))).toEqual(orgs);
    expect(Object.fromEntries([...desired.teams].map(([id, m]) => [id, m.role]))).toEqual(teams);
  });

  it("records the rule that grants the winning role", () => {
    const desired = desiredSsoMemberships(rules, ["eng", "leads"]);
    expect(desired.teams.get("t1")).toMatchObject({ ruleId: "r4", group: "leads" });
  });
});

describe("ssoSyncPlan", () => {
  const rules = [
    rule({ id: "r1", group: "eng", teamId: "t1", teamRole: "KEY_CREATOR" }),
    rule({ id: "r2", group: "admins", orgRole: "ORG_ADMIN" }),
  ];
  const org = (role: OrgRole, source: "MANUAL" | "SSO"): CurrentMembership<OrgRole> => ({
    id: "org1",
    role,
    source,
    ruleId: source === "SSO" ? "r1" : null,
  });
  const team = (
    id: string,
    role: TeamRole,
    source: "MANUAL" | "SSO",
  ): CurrentMembership<TeamRole> => ({ id, role, source, ruleId: source === "SSO" ? "r1" : null });
  const plan = (
    groups: string[],
    currentOrgs: CurrentMembership<OrgRole>[],
    currentTeams: CurrentMembership<TeamRole>[],
  ) =>
    ssoSyncPlan({
      desired: desiredSsoMemberships(rules, groups),
      ruledOrgIds: new Set(["org1"]),
      currentOrgs,
      currentTeams,
    });

  it("adds what the groups grant to a newcomer", () => {
    const p = plan(["eng"], [], []);
    expect(p.orgAdds).toMatchObject([{ id: "org1", role: "MEMBER", ruleId: "r1" }]);
    expect(p.teamAdds).toMatchObject([{ id: "t1", role: "KEY_CREATOR", organizationId: "org1" }]);
  });

  it("changes the role of an SSO membership", () => {
    const p = plan(["eng", "admins"], [org("MEMBER", "SSO")], [team("t1", "MEMBER", "SSO")]);
    expect(p.orgRoleChanges).toMatchObject([{ id: "org1", role: "ORG_ADMIN", from: "MEMBER" }]);
    expect(p.teamRoleChanges).toMatchObject([{ id: "t1", role: "KEY_CREATOR", from: "MEMBER" }]);
  });

  it("removes SSO memberships the groups no longer grant", () => {
    const p = plan([], [org("MEMBER", "SSO")], [team("t1", "KEY_CREATOR", "SSO")]);
    expect(p.orgRemovals).toMatchObject([{ id: "org1", from: "MEMBER" }]);
    expect(p.teamRemovals).toMatchObject([{ id: "t1", from: "KEY_CREATOR" }]);
  });

  it("leaves hand-made memberships alone, granted or not", () => {
    const kept = plan([], [org("MEMBER", "MANUAL")], [team("t9", "ADMIN", "MANUAL")]);
    const granted = plan(
      ["eng", "admins"],
      [org("MEMBER", "MANUAL")],
      [team("t1", "READ_ONLY", "MANUAL")],
    );
    for (const p of [kept, granted]) {
      expect(p).toEqual({
        orgAdds: [],
        orgRoleChanges: [],
        orgRemovals: [],
        teamAdds: [],
        teamRoleChanges: [],
        teamRemovals: [],
      });
    }
  });

  it("touches no organization outside the provider's rules", () => {
    const p = ssoSyncPlan({
      desired: desiredSsoMemberships(rules, []),
      ruledOrgIds: new Set(["org1"]),
      currentOrgs: [{ id: "other", role: "MEMBER", source: "SSO", ruleId: null }],
      currentTeams: [],
    });
    expect(p.orgRemovals).toEqual([]);
  });
});
