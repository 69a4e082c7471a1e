/**
 * What the API's access checks read: a team with the caller's role in it (teamProcedure),
 * or the team of a key with the caller's role in it (keyProcedure). Core decides what the
 * role allows.
 */
import type { TeamRole } from "@gatehouse/core";
import type { Database } from "../client.ts";

export interface TeamAccessRow {
  id: string;
  name: string;
  organizationId: string | null;
  /** The caller's role in the team (null: not a member, or the caller is not a person). */
  role: TeamRole | null;
}

/** The team and `userId`'s role in it, or null when there is no such team. */
export async function teamAccessRow(
  db: Pick<Database, "pool">,
  teamId: string,
  userId: string | null,
): Promise<TeamAccessRow | null> {
  const { rows } = await db.pool.query<{
    id: string;
    name: string;
    organization_id: string | null;
    role: TeamRole | null;
  }>(
    `SELECT t.id, t.name, t.organization_id,
            (SELECT m.role FROM team_members m WHERE m.team_id = t.id AND m.user_id = $2::uuid) AS role
       FROM teams t WHERE t.id = $1::uuid`,
    [teamId, userId],
  );
  const row = rows[0];
  return row
    ? { id: row.id, name: row.name, organizationId: row.organization_id, role: row.role }
    : null;
}
