/**
 * A team that still has members keeps an ADMIN, as far as its own admins are concerned: a
 * team admin may not remove or demote the last ADMIN (themselves: the only one a team admin
 * may change) while anyone else stays. Organization admins and system admins may, because
 * they can manage the team without a team role (they arbitrate, and can appoint a new
 * admin afterwards). The database side reads the counts under a lock on the team row.
 */
import { preconditionFailed } from "./errors.ts";
import type { TeamRole } from "./roles.ts";

export interface TeamMembershipChange {
  /** ADMINs of the team now, the target included. */
  adminsNow: number;
  /** Members of the team now, the target included. */
  membersNow: number;
  /** The target's role now. */
  from: TeamRole;
  /** The target's role after; null for a removal. */
  to: TeamRole | null;
  /** The caller manages the team beyond a team role (system admin, org admin). */
  callerManagesTeam: boolean;
}

export function leavesTeamWithoutAdmin(change: TeamMembershipChange): boolean {
  if (change.callerManagesTeam) return false;
  const losesAdmin = change.from === "ADMIN" && change.to !== "ADMIN";
  const othersRemain = change.to !== null || change.membersNow > 1;
  return losesAdmin && change.adminsNow <= 1 && othersRemain;
}

export const LAST_TEAM_ADMIN_MESSAGE =
  "A team that still has members must keep an admin: make another member ADMIN first (or ask an organization admin)";

/** Throws PRECONDITION_FAILED when a team admin would leave the team without an ADMIN. */
export function assertTeamKeepsAdmin(change: TeamMembershipChange): void {
  if (leavesTeamWithoutAdmin(change)) throw preconditionFailed(LAST_TEAM_ADMIN_MESSAGE);
}
