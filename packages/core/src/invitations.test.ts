import { describe, expect, it } from "vitest";
import type { Actor } from "./actor.ts";
import {
  canManageInvitation,
  invitationScopeIssues,
  invitationStatus,
  orgRoleAfterInvitation,
  resolveInvitationScope,
  teamRoleAfterInvitation,
} from "./invitations.ts";
import type { TeamRole } from "./roles.ts";

const ORG = "00000000-0000-4000-8000-000000000001";
const OTHER = "00000000-0000-4000-8000-000000000002";
const TEAM = "00000000-0000-4000-8000-000000000003";

const user = (over: Partial<{ isSystemAdmin: boolean; adminOrgIds: string[] }> = {}): Actor => ({
  kind: "user",
  userId: "u",
  sessionId: "s",
  isSystemAdmin: over.isSystemAdmin ?? false,
  adminOrgIds: over.adminOrgIds ?? [],
});

describe("canManageInvitation", () => {
  const cases: Array<{
    name: string;
    actor: Actor;
    scope: {
      organizationId: string | null;
      orgRole: "ORG_ADMIN" | "MEMBER" | null;
      teamId: string | null;
    };
    teamRole: TeamRole | null;
    allowed: boolean;
  }> = [
    {
      name: "system admin, bare account",
      actor: user({ isSystemAdmin: true }),
      scope: { organizationId: null, orgRole: null, teamId: null },
      teamRole: null,
      allowed: true,
    },
    {
      name: "org admin, admin of their org",
      actor: user({ adminOrgIds: [ORG] }),
      scope: { organizationId: ORG, orgRole: "ORG_ADMIN", teamId: null },
      teamRole: null,
      allowed: true,
    },
    {
      name: "org admin, team of their org",
      actor: user({ adminOrgIds: [ORG] }),
      scope: { organizationId: ORG, orgRole: "MEMBER", teamId: TEAM },
      teamRole: null,
      allowed: true,
    },
    {
      name: "org admin of another org",
      actor: user({ adminOrgIds: [OTHER] }),
      scope: { organizationId: ORG, orgRole: "MEMBER", teamId: null },
      teamRole: null,
      allowed: false,
    },
    {
      name: "nobody, bare account",
      actor: user(),
      scope: { organizationId: null, orgRole: null, teamId: null },
      teamRole: null,
      allowed: false,
    },
    {
      name: "team admin, their team",
      actor: user(),
      scope: { organizationId: ORG, orgRole: "MEMBER", teamId: TEAM },
      teamRole: "ADMIN",
      allowed: true,
    },
    {
      name: "team admin, team of no org",
      actor: user(),
      scope: { organizationId: null, orgRole: null, teamId: TEAM },
      teamRole: "ADMIN",
      allowed: true,
    },
    {
      name: "team admin, org admin role",
      actor: user(),
      scope: { organizationId: ORG, orgRole: "ORG_ADMIN", teamId: TEAM },
      teamRole: "ADMIN",
      allowed: false,
    },
    {
      name: "team admin, org only",
      actor: user(),
      scope: { organizationId: ORG, orgRole: "MEMBER", teamId: null },
      teamRole: "ADMIN",
      allowed: false,
    },
    {
      name: "key creator",
      actor: user(),
      scope: { organizationId: ORG, orgRole: "MEMBER", teamId: TEAM },
      teamRole: "KEY_CREATOR",
      allowed: false,
    },
    {
      name: "member",
      actor: user(),
      scope: { organizationId: ORG, orgRole: "MEMBER", teamId: TEAM },
      teamRole: "MEMBER",
      allowed: false,
    },
  ];
  it.each(cases)("$name", ({ actor, scope, teamRole, allowed }) => {
    expect(canManageInvitation(actor, scope, teamRole)).toBe(allowed);
  });
});

describe("invitationScopeIssues", () => {
  const cases = [
    {
      name: "org role without org",
      input: { orgRole: "MEMBER" as const },
      teamOrg: undefined,
      fields: ["orgRole"],
    },
    {
      name: "team role without team",
      input: { teamRole: "ADMIN" as const },
      teamOrg: undefined,
      fields: ["teamRole"],
    },
    {
      name: "team outside the org",
      input: { organizationId: ORG, teamId: TEAM },
      teamOrg: OTHER,
      fields: ["teamId"],
    },
    {
      name: "team of no org named with an org",
      input: { organizationId: ORG, teamId: TEAM },
      teamOrg: null,
      fields: ["teamId"],
    },
    {
      name: "team in the org",
      input: { organizationId: ORG, teamId: TEAM },
      teamOrg: ORG,
      fields: [],
    },
    { name: "nothing", input: {}, teamOrg: undefined, fields: [] },
  ];
  it.each(cases)("$name", ({ input, teamOrg, fields }) => {
    expect(invitationScopeIssues(input, teamOrg).map((i) => i.field)).toEqual(fields);
  });
});

describe("resolveInvitationScope", () => {
  it("a team implies MEMBER of its organization", () => {
    expect(resolveInvitationScope({ teamId: TEAM }, ORG)).toEqual({
      organizationId: ORG,
      orgRole: "MEMBER",
      teamId: TEAM,
      teamRole: "MEMBER",
    });
  });
  it("keeps the roles given", () => {
    expect(
      resolveInvitationScope(
        { organizationId: ORG, orgRole: "ORG_ADMIN", teamId: TEAM, teamRole: "ADMIN" },
        ORG,
      ),
    ).toEqual({ organizationId: ORG, orgRole: "ORG_ADMIN", teamId: TEAM, teamRole: "ADMIN" });
  });
  it("a team of no organization grants no organization", () => {
    expect(resolveInvitationScope({ teamId: TEAM }, null).organizationId).toBeNull();
  });
});

describe("invitationStatus", () => {
  const now = new Date("2026-01-10T00:00:00Z");
  const later = new Date("2026-01-11T00:00:00Z");
  const earlier = new Date("2026-01-09T00:00:00Z");
  it.each([
    { at: { expiresAt: later, acceptedAt: null, revokedAt: null }, status: "pending" },
    { at: { expiresAt: now, acceptedAt: null, revokedAt: null }, status: "expired" },
    { at: { expiresAt: later, acceptedAt: earlier, revokedAt: null }, status: "accepted" },
    { at: { expiresAt: later, acceptedAt: null, revokedAt: earlier }, status: "revoked" },
  ])("$status", ({ at, status }) => {
    expect(invitationStatus(at, now)).toBe(status);
  });
});

describe("roles after accepting", () => {
  it.each([
    { current: null, invited: "MEMBER", after: "MEMBER" },
    { current: "ORG_ADMIN", invited: "MEMBER", after: "ORG_ADMIN" },
    { current: "MEMBER", invited: "ORG_ADMIN", after: "ORG_ADMIN" },
  ] as const)("org $current + $invited", ({ current, invited, after }) => {
    expect(orgRoleAfterInvitation(current, invited)).toBe(after);
  });
  it.each([
    { current: null, invited: "READ_ONLY", after: "READ_ONLY" },
    { current: "ADMIN", invited: "MEMBER", after: "ADMIN" },
    { current: "MEMBER", invited: "KEY_CREATOR", after: "KEY_CREATOR" },
  ] as const)("team $current + $invited", ({ current, invited, after }) => {
    expect(teamRoleAfterInvitation(current, invited)).toBe(after);
  });
});
