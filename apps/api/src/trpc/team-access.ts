/**
 * Loads one team with the caller's role in it, and core's verdict on what they may do.
 * `teamProcedure` (init.ts) gates on it; procedures that reach a team through another id
 * (a key) call `requireTeamPermission` themselves.
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
import type { Database } from "@gatehouse/db";

export interface TeamAccess {
  team: { id: string; name: string; organizationId: string | null };
  callerRole: TeamRole | null;
  permissions: TeamPermissions;
}

export async function loadTeamAccess(
  db: Database,
  actor: Actor,
  teamId: string,
  /** What the caller asked for by id, named in the NOT_FOUND (e.g. "Key" for keys.delete). */
  notFoundAs = "Team",
): Promise<TeamAccess> {
  const { rows } = await db.pool.query<{
    id: string;
    name: string;
    organization_id: string | null;
    role: TeamRole | null;
  }>(
    `SELECT t.id, t.name, t.organization_id,
            (SELECT m.role FROM team_members m WHERE m.team_id = t.id AND m.user_id = $2::uuid) AS role
       FROM teams t WHERE t.id = $1::uuid`,
    [teamId, actor.kind === "user" ? actor.userId : null],
  );
  const row = rows[0];
  if (!row) throw notFound(notFoundAs);
  const permissions = teamPermissions(actor, {
    organizationId: row.organization_id,
    callerRole: row.role,
  });
  return {
    team: { id: row.id, name: row.name, organizationId: row.organization_id },
    callerRole: row.role,
    permissions,
  };
}

/** Loads access and requires one permission: NOT_FOUND if the team is invisible, else FORBIDDEN. */
export async function requireTeamPermission(
  db: Database,
  actor: Actor,
  teamId: string,
  permission: keyof TeamPermissions,
  notFoundAs = "Team",
): Promise<TeamAccess> {
  const access = await loadTeamAccess(db, actor, teamId, notFoundAs);
  if (!access.permissions.view) throw notFound(notFoundAs);
  if (!access.permissions[permission]) throw forbidden();
  return access;
}
