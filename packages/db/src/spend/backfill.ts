/**
 * Spend history for teams read on a region for the first time: which teams of a page have
 * no reading there yet, and the daily points rebuilt for them (core backfillSpendPoints from
 * the proxy's daily spend). Both set-based over `unnest`, one statement per call.
 */
import type { Database } from "../client.ts";

/**
 * The teams among `teamIds` with no spend reading (`team_spend` row) on the region yet:
 * asked before their first reading is written. Unknown team ids are left out.
 */
export async function teamsWithoutSpendReading(
  db: Pick<Database, "pool">,
  regionId: string,
  teamIds: readonly string[],
): Promise<string[]> {
  if (teamIds.length === 0) return [];
  const { rows } = await db.pool.query<{ id: string }>(
    `SELECT t.id::text AS id
       FROM teams t
      WHERE t.id = ANY($2::uuid[])
        AND NOT EXISTS (SELECT 1 FROM team_spend s WHERE s.team_id = t.id AND s.region_id = $1::uuid)`,
    [regionId, teamIds],
  );
  return rows.map((r) => r.id);
}

export interface BackfilledPoint {
  teamId: string;
  /** `YYYY-MM-DD`. */
  day: string;
  spendUsd: number;
  budgetResetAt: Date | null;
}

/**
 * Files rebuilt daily points of a region, only on days that have no point yet (a reading
 * Gatehouse took itself is never overwritten). `asOf` is when the history was read.
 * Returns how many points were added.
 */
export async function backfillTeamSpendDays(
  db: Pick<Database, "pool">,
  regionId: string,
  points: readonly BackfilledPoint[],
  asOf: Date,
): Promise<number> {
  if (points.length === 0) return 0;
  const { rowCount } = await db.pool.query(
    `INSERT INTO team_spend_daily (team_id, region_id, day, spend_usd, budget_reset_at, as_of)
     SELECT i.team_id, $1::uuid, i.day, i.spend_usd, i.budget_reset_at, $6::timestamptz
       FROM unnest($2::uuid[], $3::date[], $4::numeric[], $5::timestamptz[])
            AS i(team_id, day, spend_usd, budget_reset_at)
     ON CONFLICT (team_id, day, region_id) DO NOTHING`,
    [
      regionId,
      points.map((p) => p.teamId),
      points.map((p) => p.day),
      points.map((p) => p.spendUsd),
      points.map((p) => p.budgetResetAt),
      asOf,
    ],
  );
  return rowCount ?? 0;
}
