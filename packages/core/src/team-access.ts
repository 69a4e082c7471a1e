/**
 * What a caller may do with one team, from who they are and their role in it.
 *   system admin: everything
 *   org admin of the team's organization: view, update/delete, manage members, view keys
 *   team ADMIN: view, manage members and keys
 *   KEY_CREATOR: view, manage keys
 *   MEMBER / READ_ONLY: view
 * Billing fields (alwaysFree, lastPaymentAt) are for system admins only.
 */
import { isOrgAdmin, type Actor } from "./actor.ts";
import {
  teamRoleCanManageKeys,
  teamRoleCanManageMembers,
  teamRoleRank,
  type TeamRole,
} from "./roles.ts";

export interface TeamPermissions {
  view: boolean;
  manage: boolean;
  manageBilling: boolean;
  manageMembers: boolean;
  viewKeys: boolean;
  manageKeys: boolean;
}

export function teamPermissions(
  actor: Actor,
  team: { organizationId: string | null; callerRole: TeamRole | null },
): TeamPermissions {
  if (actor.isSystemAdmin) {
    return {
      view: true,
      manage: true,
      manageBilling: true,
      manageMembers: true,
      viewKeys: true,
      manageKeys: true,
    };
  }
  const orgAdmin = team.organizationId !== null && isOrgAdmin(actor, team.organizationId);
  const role = team.callerRole;
  return {
    view: orgAdmin || role !== null,
    manage: orgAdmin,
    manageBilling: false,
    manageMembers: orgAdmin || (role !== null && teamRoleCanManageMembers(role)),
    viewKeys: orgAdmin || role !== null,
    manageKeys: role !== null && teamRoleCanManageKeys(role),
  };
}

/** May this actor create a team in this organization (null: no organization)? */
export function canCreateTeam(actor: Actor, organizationId: string | null): boolean {
  if (actor.isSystemAdmin) return true;
  return organizationId !== null && isOrgAdmin(actor, organizationId);
}

/**
 * May this caller (who may manage the team's members) remove a member (`to` null) or set
 * their role to `to`? No one is removed or demoted by a role below theirs:
 *   system admins and the team organization's admins: anyone;
 *   a team ADMIN: members below ADMIN, and themselves (step down, leave); not another
 *     team ADMIN. Peers do not remove peers: otherwise any co-admin (e.g. one just added)
 *     could take the team over. The organization's admins arbitrate between team admins.
 * Promoting someone to ADMIN is not a demotion and stays open to team admins.
 */
export function canChangeTeamMember(
  actor: Actor,
  team: { organizationId: string | null; callerRole: TeamRole | null },
  target: { userId: string; role: TeamRole },
  to: TeamRole | null,
): boolean {
  if (actor.isSystemAdmin) return true;
  if (team.organizationId !== null && isOrgAdmin(actor, team.organizationId)) return true;
  if (team.callerRole === null || !teamRoleCanManageMembers(team.callerRole)) return false;
  if (actor.kind === "user" && actor.userId === target.userId) return true;
  const demotes = to === null || teamRoleRank(to) < teamRoleRank(target.role);
  return !demotes || teamRoleRank(target.role) < teamRoleRank(team.callerRole);
}
