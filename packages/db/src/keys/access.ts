/** What keyProcedure reads: the key's team and the caller's role in it, in one statement. */
import type { TeamRole } from "@gatehouse/core";
import type { Database } from "../client.ts";
import type { TeamAccessRow } from "../teams/access.ts";

/** The team of key `keyId` and `userId`'s role in it, or null when there is no such key. */
export async function keyTeamAccessRow(
  db: Pick<Database, "pool">,
  keyId: string,
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
       FROM api_keys k JOIN teams t ON t.id = k.team_id WHERE k.id = $1::uuid`,
    [keyId, userId],
  );
  const row = rows[0];
  return row
    ? { id: row.id, name: row.name, organizationId: row.organization_id, role: row.role }
    : null;
}
