import { describe, expect, it } from "vitest";
import {
  serviceTokenAuthority,
  serviceTokensStoppedBy,
  serviceTokenTouchDue,
  type ServiceTokenCreatorFacts,
  type ServiceTokenFacts,
} from "./service-token-authority.ts";

const ORG = "00000000-0000-4000-8000-00000000000a";
const adminToken: ServiceTokenFacts = {
  id: "t-admin",
  scope: "ADMIN",
  organizationId: null,
  revokedAt: null,
};
const orgToken: ServiceTokenFacts = {
  id: "t-org",
  scope: "ORGANIZATION",
  organizationId: ORG,
  revokedAt: null,
};
const revoked = (t: ServiceTokenFacts): ServiceTokenFacts => ({ ...t, revokedAt: new Date(0) });

const sysAdmin: ServiceTokenCreatorFacts = { isActive: true, isSystemAdmin: true, orgRole: null };
const disabledSysAdmin: ServiceTokenCreatorFacts = { ...sysAdmin, isActive: false };
const plain: ServiceTokenCreatorFacts = { isActive: true, isSystemAdmin: false, orgRole: null };
const orgAdmin: ServiceTokenCreatorFacts = { ...plain, orgRole: "ORG_ADMIN" };
const orgMember: ServiceTokenCreatorFacts = { ...plain, orgRole: "MEMBER" };
const disabledOrgAdmin: ServiceTokenCreatorFacts = { ...orgAdmin, isActive: false };

/** "system admin" / "org admin" for a working token, else the refusal's reason. */
type Expect = string;

describe("serviceTokenAuthority: a token never acts with more than its creator has now", () => {
  it.each<[string, ServiceTokenFacts, ServiceTokenCreatorFacts | null, Expect]>([
    ["admin token, active system admin creator", adminToken, sysAdmin, "system admin"],
    ["admin token, creator demoted (active)", adminToken, plain, "creator-lost-right"],
    [
      "admin token, creator demoted but org admin somewhere",
      adminToken,
      orgAdmin,
      "creator-lost-right",
    ],
    [
      "admin token, creator disabled (still flagged admin)",
      adminToken,
      disabledSysAdmin,
      "creator-disabled",
    ],
    ["admin token, no creator", adminToken, null, "no-creator"],
    ["admin token, revoked", revoked(adminToken), sysAdmin, "revoked"],
    ["org token, creator ORG_ADMIN of the org", orgToken, orgAdmin, "org admin"],
    ["org token, creator a system admin (not a member)", orgToken, sysAdmin, "org admin"],
    ["org token, creator demoted to MEMBER", orgToken, orgMember, "creator-lost-right"],
    ["org token, creator removed from the org", orgToken, plain, "creator-lost-right"],
    ["org token, creator disabled", orgToken, disabledOrgAdmin, "creator-disabled"],
    ["org token, creator a disabled system admin", orgToken, disabledSysAdmin, "creator-disabled"],
    ["org token, no creator", orgToken, null, "no-creator"],
    ["org token, revoked", revoked(orgToken), orgAdmin, "revoked"],
    [
      "org token without an organization",
      { ...orgToken, organizationId: null },
      sysAdmin,
      "malformed",
    ],
  ])("%s", (_name, token, creator, expected) => {
    const verdict = serviceTokenAuthority(token, creator);
    if (expected === "system admin") {
      expect(verdict).toEqual({
        valid: true,
        actor: { kind: "service", serviceTokenId: token.id, isSystemAdmin: true, adminOrgIds: [] },
      });
    } else if (expected === "org admin") {
      // Never wider than its organization, even when the creator is a system admin.
      expect(verdict).toEqual({
        valid: true,
        actor: {
          kind: "service",
          serviceTokenId: token.id,
          isSystemAdmin: false,
          adminOrgIds: [ORG],
        },
      });
    } else {
      expect(verdict).toEqual({ valid: false, reason: expected });
    }
  });
});

describe("serviceTokensStoppedBy", () => {
  it("names the tokens that worked before a change and not after", () => {
    const tokens = [
      {
        ...adminToken,
        name: "admin",
        before: sysAdmin,
        after: { ...sysAdmin, isSystemAdmin: false },
      },
      // Still ORG_ADMIN of its organization: survives the loss of the system admin flag.
      {
        ...orgToken,
        name: "org kept",
        before: { ...sysAdmin, orgRole: "ORG_ADMIN" as const },
        after: orgAdmin,
      },
      { ...orgToken, id: "t-org-2", name: "org lost", before: sysAdmin, after: plain },
      // Already dead before the change: not reported as stopped by it.
      { ...revoked(adminToken), id: "t-rev", name: "revoked", before: sysAdmin, after: plain },
    ];
    expect(serviceTokensStoppedBy(tokens)).toEqual([
      { id: "t-admin", name: "admin" },
      { id: "t-org-2", name: "org lost" },
    ]);
  });
});

describe("serviceTokenTouchDue", () => {
  const t0 = new Date("2026-01-01T00:00:00Z");
  it.each<[Date | null, number, boolean]>([
    [null, 0, true],
    [t0, 0, false],
    [t0, 59_999, false],
    [t0, 60_000, true],
  ])("last used %s, %d ms later: %s", (last, after, due) => {
    expect(serviceTokenTouchDue(last, new Date(t0.getTime() + after))).toBe(due);
  });
});
