/**
 * What the spend sync writes, a page at a time, one statement per page: set-based upserts over
 * `unnest` arrays, because a million teams per region must not become a million statements.
 * Amounts are `numeric(20,6)` in the database (USD with micro-dollar precision is far inside a
 * double's exact range).
 */
import type { Database } from "../client.ts";

export interface TeamSpendWrite {
  teamId: string;
  spendUsd: number;
  maxBudgetUsd: number | null;
  budgetDuration: string | null;
  budgetResetAt: Date | null;
}

/**
 * Upserts one page of a region's team readings: the latest row per team and region (marked
 * `changed_at` for the alert evaluation when its spend, budget or reset changed), the
 * day's point (UTC day of `asOf`) and the team's denormalised total (`teams.spend_usd`,
 * touched only when it changes so an unchanged team costs no row version). Teams unknown to
 * Gatehouse (deleted meanwhile) are skipped. Returns how many teams were written.
 *
 * The total is this region's new value plus the other regions' stored values; two regions
 * synced at the very same moment can each miss the other's fresh value, and the next sync
 * puts it right (the per-region rows, which the API reads, are always exact).
 */
export async function writeTeamSpendPage(
  db: Pick<Database, "pool">,
  regionId: string,
  rows: readonly TeamSpendWrite[],
  asOf: Date,
): Promise<number> {
  if (rows.length === 0) return 0;
  const { rows: result } = await db.pool.query<{ n: number }>(
    `WITH input AS (
       SELECT * FROM unnest($2::uuid[], $3::numeric[], $4::numeric[], $5::text[], $6::timestamptz[])
                AS i(team_id, spend_usd, max_budget_usd, budget_duration, budget_reset_at)
     ), known AS (
       SELECT i.* FROM input i JOIN teams t ON t.id = i.team_id
     ), latest AS (
       INSERT INTO team_spend (team_id, region_id, spend_usd, max_budget_usd, budget_duration, budget_reset_at, as_of, changed_at)
       SELECT team_id, $1::uuid, spend_usd, max_budget_usd, budget_duration, budget_reset_at, $7::timestamptz, $7::timestamptz FROM known
       ON CONFLICT (team_id, region_id) DO UPDATE
          SET spend_usd = EXCLUDED.spend_usd, max_budget_usd = EXCLUDED.max_budget_usd,
              budget_duration = EXCLUDED.budget_duration, budget_reset_at = EXCLUDED.budget_reset_at,
              as_of = EXCLUDED.as_of,
              -- Marks the row for the alert evaluation only when what it judges changed.
              changed_at = CASE
                WHEN team_spend.spend_usd IS DISTINCT FROM EXCLUDED.spend_usd
                  OR team_spend.max_budget_usd IS DISTINCT FROM EXCLUDED.max_budget_usd
                  OR team_spend.budget_reset_at IS DISTINCT FROM EXCLUDED.budget_reset_at
                THEN EXCLUDED.as_of ELSE team_spend.changed_at END
       RETURNING team_id
     ), daily AS (
       INSERT INTO team_spend_daily (team_id, region_id, day, spend_usd, budget_reset_at, as_of)
       SELECT team_id, $1::uuid, ($7::timestamptz AT TIME ZONE 'UTC')::date, spend_usd, budget_reset_at, $7::timestamptz FROM known
       ON CONFLICT (team_id, day, region_id) DO UPDATE
          SET spend_usd = EXCLUDED.spend_usd, budget_reset_at = EXCLUDED.budget_reset_at, as_of = EXCLUDED.as_of
     ), totals AS (
       SELECT k.team_id,
              k.spend_usd + COALESCE((SELECT sum(o.spend_usd) FROM team_spend o
                                       WHERE o.team_id = k.team_id AND o.region_id <> $1::uuid), 0) AS total
         FROM known k
     ), touched AS (
       UPDATE teams t SET spend_usd = totals.total, spend_known = true
         FROM totals
        WHERE t.id = totals.team_id AND (t.spend_usd <> totals.total OR NOT t.spend_known)
     )
     -- Data-modifying CTEs run to completion whether or not the final SELECT reads them.
     SELECT count(*)::int AS n FROM latest`,
    [
      regionId,
      rows.map((r) => r.teamId),
      rows.map((r) => r.spendUsd),
      rows.map((r) => r.maxBudgetUsd),
      rows.map((r) => r.budgetDuration),
      rows.map((r) => r.budgetResetAt),
      asOf,
    ],
  );
  return result[0]?.n ?? 0;
}

/** Upserts one page of a region's key readings (keys matched by the region's LiteLLM token). */
export async function writeKeySpendPage(
  db: Pick<Database, "pool">,
  regionId: string,
  rows: ReadonlyArray<{ token: string; spendUsd: number }>,
  asOf: Date,
): Promise<number> {
  if (rows.length === 0) return 0;
  const { rowCount } = await db.pool.query(
    `INSERT INTO api_key_spend (api_key_id, spend_usd, as_of)
     SELECT k.id, i.spend_usd, $4::timestamptz
       FROM unnest($2::text[], $3::numeric[]) AS i(token, spend_usd)
       JOIN api_keys k ON k.region_id = $1::uuid AND k.litellm_key_id = i.token
     ON CONFLICT (api_key_id) DO UPDATE SET spend_usd = EXCLUDED.spend_usd, as_of = EXCLUDED.as_of`,
    [regionId, rows.map((r) => r.token), rows.map((r) => r.spendUsd), asOf],
  );
  return rowCount ?? 0;
}
