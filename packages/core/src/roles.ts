/**
 * Roles and their order. Role names mirror the database enums; the order decides who
 * keeps what when memberships meet (a merge keeps the higher role) and who may grant what.
 */
export const teamRoles = ["ADMIN", "KEY_CREATOR", "MEMBER", "READ_ONLY"] as const;
export type TeamRole = (typeof teamRoles)[number];

export const orgRoles = ["ORG_ADMIN", "MEMBER"] as const;
export type OrgRole = (typeof orgRoles)[number];

const teamRoleRankTable: Record<TeamRole, number> = {
  ADMIN: 3,
  KEY_CREATOR: 2,
  MEMBER: 1,
  READ_ONLY: 0,
};

export function teamRoleRank(role: TeamRole): number {
  return teamRoleRankTable[role];
}

/** The more powerful of two team roles (e.g. for someone in both teams of a merge). */
export function higherTeamRole(a: TeamRole, b: TeamRole): TeamRole {
  return teamRoleRank(a) >= teamRoleRank(b) ? a : b;
}

/** Roles that may create and delete keys in their team. */
export function teamRoleCanManageKeys(role: TeamRole): boolean {
  return role === "ADMIN" || role === "KEY_CREATOR";
}

/** Roles that may manage the team's members. */
export function teamRoleCanManageMembers(role: TeamRole): boolean {
  return role === "ADMIN";
}
