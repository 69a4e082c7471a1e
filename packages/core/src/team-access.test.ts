import { describe, expect, it } from "vitest";
import type { Actor } from "./actor.ts";
import type { TeamRole } from "./roles.ts";
import {
  canChangeTeamMember,
  canCreateTeam,
  teamPermissions,
  type TeamPermissions,
} from "./team-access.ts";

const user = (adminOrgIds: string[] = []): Actor => ({
  kind: "user",
  userId: "u",
  isSystemAdmin: false,
  adminOrgIds,
  sessionId: "s",
});
const admin: Actor = { kind: "service", serviceTokenId: "t", isSystemAdmin: true, adminOrgIds: [] };

// view, manage, manageBilling, manageMembers, viewKeys, manageKeys
type Flags = [boolean, boolean, boolean, boolean, boolean, boolean];
const asFlags = (p: TeamPermissions): Flags => [
  p.view,
  p.manage,
  p.manageBilling,
  p.manageMembers,
  p.viewKeys,
  p.manageKeys,
];

describe("teamPermissions", () => {
  it.each<[string, Actor, string | null, TeamRole | null, Flags]>([
    ["system admin", admin, "A", null, [true, true, true, true, true, true]],
    ["org admin of the team's org", user(["A"]), "A", null, [true, true, false, true, true, false]],
    [
      "org admin of another org",
      user(["B"]),
      "A",
      null,
      [false, false, false, false, false, false],
    ],
    [
      "org admin, team without org",
      user(["A"]),
      null,
      null,
      [false, false, false, false, false, false],
    ],
    ["team admin", user(), "A", "ADMIN", [true, false, false, true, true, true]],
    ["key creator", user(), "A", "KEY_CREATOR", [true, false, false, false, true, true]],
    ["member", user(), "A", "MEMBER", [true, false, false, false, true, false]],
    ["read-only", user(), "A", "READ_ONLY", [true, false, false, false, true, false]],
    ["outsider", user(), "A", null, [false, false, false, false, false, false]],
    [
      "org admin who is also key creator",
      user(["A"]),
      "A",
      "KEY_CREATOR",
      [true, true, false, true, true, true],
    ],
  ])("%s", (_name, actor, organizationId, callerRole, expected) => {
    expect(asFlags(teamPermissions(actor, { organizationId, callerRole }))).toEqual(expected);
  });
});

describe("canCreateTeam", () => {
  it.each<[string, Actor, string | null, boolean]>([
    ["admin, no org", admin, null, true],
    ["admin, any org", admin, "B", true],
    ["org admin in own org", user(["A"]), "A", true],
    ["org admin in another org", user(["A"]), "B", false],
    ["org admin without org", user(["A"]), null, false],
    ["plain user", user(), "A", false],
  ])("%s", (_name, actor, org, expected) => {
    expect(canCreateTeam(actor, org)).toBe(expected);
  });
});

describe("canChangeTeamMember: no one is removed or demoted by a role below theirs", () => {
  // The caller is user "u"; targets are other users unless named "u".
  it.each<
    [string, Actor, TeamRole | null, { userId: string; role: TeamRole }, TeamRole | null, boolean]
  >([
    ["system admin removes a team admin", admin, null, { userId: "x", role: "ADMIN" }, null, true],
    [
      "org admin of the team's org removes a team admin",
      user(["A"]),
      null,
      { userId: "x", role: "ADMIN" },
      null,
      true,
    ],
    [
      "org admin of the team's org demotes a team admin",
      user(["A"]),
      null,
      { userId: "x", role: "ADMIN" },
      "MEMBER",
      true,
    ],
    ["org admin of another org", user(["B"]), null, { userId: "x", role: "MEMBER" }, null, false],
    ["team admin removes a member", user(), "ADMIN", { userId: "x", role: "MEMBER" }, null, true],
    [
      "team admin demotes a key creator",
      user(),
      "ADMIN",
      { userId: "x", role: "KEY_CREATOR" },
      "READ_ONLY",
      true,
    ],
    [
      "team admin promotes a member to ADMIN",
      user(),
      "ADMIN",
      { userId: "x", role: "MEMBER" },
      "ADMIN",
      true,
    ],
    [
      "team admin removes another team admin",
      user(),
      "ADMIN",
      { userId: "x", role: "ADMIN" },
      null,
      false,
    ],
    [
      "team admin demotes another team admin",
      user(),
      "ADMIN",
      { userId: "x", role: "ADMIN" },
      "KEY_CREATOR",
      false,
    ],
    [
      "team admin sets another team admin to ADMIN (no change)",
      user(),
      "ADMIN",
      { userId: "x", role: "ADMIN" },
      "ADMIN",
      true,
    ],
    ["team admin steps down", user(), "ADMIN", { userId: "u", role: "ADMIN" }, "MEMBER", true],
    ["team admin leaves", user(), "ADMIN", { userId: "u", role: "ADMIN" }, null, true],
    [
      "key creator removes a member",
      user(),
      "KEY_CREATOR",
      { userId: "x", role: "MEMBER" },
      null,
      false,
    ],
    ["member removes a team admin", user(), "MEMBER", { userId: "x", role: "ADMIN" }, null, false],
    ["outsider", user(), null, { userId: "x", role: "READ_ONLY" }, null, false],
    [
      "org-scoped token of the team's org removes a team admin",
      { kind: "service", serviceTokenId: "t", isSystemAdmin: false, adminOrgIds: ["A"] },
      null,
      { userId: "x", role: "ADMIN" },
      null,
      true,
    ],
  ])("%s -> %s", (_name, actor, callerRole, target, to, expected) => {
    expect(canChangeTeamMember(actor, { organizationId: "A", callerRole }, target, to)).toBe(
      expected,
    );
  });
});
