/** A team's block reasons as the UI lists them, and whether it is blocked (the worker's read). */
import type { TeamBlockRow } from "./blocks.ts";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { poolOf, type PoolSource } from "../pool-source.ts";

/** A team's block reasons, oldest first, with the authors of manual ones. */
export async function teamBlocks(
  db: Pick<PrismaClient, "$queryRaw"> | Pick<Prisma.TransactionClient, "$queryRaw">,
  teamId: string,
): Promise<TeamBlockRow[]> {
  return db.$queryRaw<TeamBlockRow[]>`
    SELECT b.reason::text AS reason, b.note, b.created_at AS since, b.level::text AS level,
           COALESCE(u.name, s.name) AS "placedBy"
      FROM team_blocks b
      LEFT JOIN users u ON u.id = b.placed_by_user_id
      LEFT JOIN service_tokens s ON s.id = b.placed_by_service_token_id
     WHERE b.team_id = ${teamId}::uuid
     ORDER BY b.created_at, b.reason`;
}

/** Whether the team is blocked (any reason), or null when the team no longer exists. */
export async function teamBlockedState(
  source: PoolSource,
  teamId: string,
): Promise<boolean | null> {
  const pool = poolOf(source);
  const { rows } = await pool.query<{ exists: boolean; blocked: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM teams WHERE id = $1::uuid) AS exists,
            EXISTS (SELECT 1 FROM team_blocks WHERE team_id = $1::uuid) AS blocked`,
    [teamId],
  );
  const row = rows[0];
  return row?.exists ? row.blocked : null;
}
