import { describe, expect, it } from "vitest";
import {
  higherTeamRole,
  teamRoleCanManageKeys,
  teamRoleCanManageMembers,
  teamRoles,
  type TeamRole,
} from "./roles.ts";

describe("higherTeamRole", () => {
  it.each<[TeamRole, TeamRole, TeamRole]>([
    ["ADMIN", "MEMBER", "ADMIN"],
    ["MEMBER", "ADMIN", "ADMIN"],
    ["KEY_CREATOR", "MEMBER", "KEY_CREATOR"],
    ["READ_ONLY", "KEY_CREATOR", "KEY_CREATOR"],
    ["READ_ONLY", "MEMBER", "MEMBER"],
    ["READ_ONLY", "READ_ONLY", "READ_ONLY"],
    ["ADMIN", "ADMIN", "ADMIN"],
  ])("higher of %s and %s is %s", (a, b, expected) => {
    expect(higherTeamRole(a, b)).toBe(expected);
  });

  it("is symmetric for every pair", () => {
    for (const a of teamRoles)
      for (const b of teamRoles) {
        expect(higherTeamRole(a, b)).toBe(higherTeamRole(b, a));
      }
  });
});

describe("team role permissions", () => {
  it.each<[TeamRole, boolean, boolean]>([
    ["ADMIN", true, true],
    ["KEY_CREATOR", true, false],
    ["MEMBER", false, false],
    ["READ_ONLY", false, false],
  ])("%s: manage keys %s, manage members %s", (role, keys, members) => {
    expect(teamRoleCanManageKeys(role)).toBe(keys);
    expect(teamRoleCanManageMembers(role)).toBe(members);
  });
});
