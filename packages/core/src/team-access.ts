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
import { teamRoleCanManageKeys, teamRoleCanManageMembers, type TeamRole } from "./roles.ts";

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
    return { view: true, manage: true, manageBilling: true, manageMembers: true, viewKeys: true, manageKeys: true };
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
