import { describe, expect, it } from "vitest";
import {
  assertOrgKeepsAdmin,
  leavesOrgWithoutAdmin,
  type OrgMembershipChange,
} from "./org-admins.ts";

describe("leavesOrgWithoutAdmin", () => {
  it.each<[string, OrgMembershipChange, boolean]>([
    ["removing the only admin", { adminsNow: 1, from: "ORG_ADMIN", to: null }, true],
    ["demoting the only admin", { adminsNow: 1, from: "ORG_ADMIN", to: "MEMBER" }, true],
    ["removing one of two admins", { adminsNow: 2, from: "ORG_ADMIN", to: null }, false],
    ["demoting one of two admins", { adminsNow: 2, from: "ORG_ADMIN", to: "MEMBER" }, false],
    [
      "re-granting the only admin ORG_ADMIN",
      { adminsNow: 1, from: "ORG_ADMIN", to: "ORG_ADMIN" },
      false,
    ],
    [
      "removing a member of an org with one admin",
      { adminsNow: 1, from: "MEMBER", to: null },
      false,
    ],
    [
      "adding a member to an org without admins (new org)",
      { adminsNow: 0, from: null, to: "MEMBER" },
      false,
    ],
    [
      "removing a member of an org without admins",
      { adminsNow: 0, from: "MEMBER", to: null },
      false,
    ],
    ["promoting a member", { adminsNow: 1, from: "MEMBER", to: "ORG_ADMIN" }, false],
    // A count that does not include the target (a stale read) must still refuse.
    ["an admin when the count says none", { adminsNow: 0, from: "ORG_ADMIN", to: null }, true],
  ])("%s -> %s", (_name, change, expected) => {
    expect(leavesOrgWithoutAdmin(change)).toBe(expected);
    if (expected)
      expect(() => assertOrgKeepsAdmin(change)).toThrow(/at least one organization admin/);
    else expect(() => assertOrgKeepsAdmin(change)).not.toThrow();
  });
});
