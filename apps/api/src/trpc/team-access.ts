/**
 * Loads one team with the caller's role in it, and core's verdict on what they may do.
 * `teamProcedure` (init.ts) gates on it; `keyProcedure` (key-access.ts) on the same verdict
 * for the team of a key; keys.list, whose team is optional, calls `requireTeamPermission`.
 *
 * A caller who may not even see the team gets NOT_FOUND, exactly as for an unknown id, so
 * ids cannot be probed; FORBIDDEN is only for callers who see the team but may not do this.
 */
import {
  forbidden,
  notFound,
  teamPermissions,
  type Actor,
  type TeamPermissions,
  type TeamRole,
} from "@gatehouse/core";
import { teamAccessRow, type Database, type TeamAccessRow } from "@gatehouse/db";

export interface TeamAccess {
  team: { id: string; name: string; organizationId: string | null };
  callerRole: TeamRole | null;
  permissions: TeamPermissions;
}

/** The caller's id in team_members, when the caller is a person. */
export const memberIdOf = (actor: Actor): string | null =>
  actor.kind === "user" ? actor.userId : null;

/** Core's verdict on a team row read with the caller's role. */
export function teamAccessOf(actor: Actor, row: TeamAccessRow): TeamAccess {
  const permissions = teamPermissions(actor, {
    organizationId: row.organizationId,
    callerRole: row.role,
  });
  return {
    team: { id: row.id, name: row.name, organizationId: row.organizationId },
    callerRole: row.role,
    permissions,
  };
}

export async function loadTeamAccess(
  db: Database,
  actor: Actor,
  teamId: string,
): Promise<TeamAccess> {
  const row = await teamAccessRow(db, teamId, memberIdOf(actor));
  if (!row) throw notFound("Team");
  return teamAccessOf(actor, row);
}

/** Loads access and requires one permission: NOT_FOUND if the team is invisible, else FORBIDDEN. */
export async function requireTeamPermission(
  db: Database,
  actor: Actor,
  teamId: string,
  permission: keyof TeamPermissions,
): Promise<TeamAccess> {
  const access = await loadTeamAccess(db, actor, teamId);
  if (!access.permissions.view) throw notFound("Team");
  if (!access.permissions[permission]) throw forbidden();
  return access;
}
