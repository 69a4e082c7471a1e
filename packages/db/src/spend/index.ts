/**
 * Spend snapshots: what the spend sync writes (a page at a time, one statement per page) and
 * what the API reads. Hand-written SQL through `pg` because the writes are set-based upserts
 * over `unnest` arrays (a million teams per region must not become a million statements) and
 * the reads aggregate over regions.
 *
 * Numbers: amounts are `numeric(20,6)` in the database and parsed to JS numbers here (USD
 * with micro-dollar precision is far inside a double's exact range).
 */
import type pg from "pg";

export interface TeamSpendWrite {
  teamId: string;
  spendUsd: number;
  maxBudgetUsd: number | null;
  budgetDuration: string | null;
  budgetResetAt: Date | null;
}

/**
 * Upserts one page of a region's team readings: the latest row per team and region, the
 * day's point (UTC day of `asOf`) and the team's denormalised total (`teams.spend_usd`,
 * touched only when it changes so an unchanged team costs no row version). Teams unknown to
 * Gatehouse (deleted meanwhile) are skipped. Returns how many teams were written.
 *
 * The total is this region's new value plus the other regions' stored values; two regions
 * synced at the very same moment can each miss the other's fresh value, and the next sync
 * puts it right (the per-region rows, which the API reads, are always exact).
 */
export async function writeTeamSpendPage(
  pool: pg.Pool,
  regionId: string,
  rows: readonly TeamSpendWrite[],
  asOf: Date,
): Promise<number> {
  if (rows.length === 0) return 0;
  const { rows: result } = await pool.query<{ n: number }>(
    `WITH input AS (
       SELECT * FROM unnest($2::uuid[], $3::numeric[], $4::numeric[], $5::text[], $6::timestamptz[])
                AS i(team_id, spend_usd, max_budget_usd, budget_duration, budget_reset_at)
     ), known AS (
       SELECT i.* FROM input i JOIN teams t ON t.id = i.team_id
     ), latest AS (
       INSERT INTO team_spend (team_id, region_id, spend_usd, max_budget_usd, budget_duration, budget_reset_at, as_of)
       SELECT team_id, $1::uuid, spend_usd, max_budget_usd, budget_duration, budget_reset_at, $7::timestamptz FROM known
       ON CONFLICT (team_id, region_id) DO UPDATE
          SET spend_usd = EXCLUDED.spend_usd, max_budget_usd = EXCLUDED.max_budget_usd,
              budget_duration = EXCLUDED.budget_duration, budget_reset_at = EXCLUDED.budget_reset_at,
              as_of = EXCLUDED.as_of
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
  pool: pg.Pool,
  regionId: string,
  rows: ReadonlyArray<{ token: string; spendUsd: number }>,
  asOf: Date,
): Promise<number> {
  if (rows.length === 0) return 0;
  const { rowCount } = await pool.query(
    `INSERT INTO api_key_spend (api_key_id, spend_usd, as_of)
     SELECT k.id, i.spend_usd, $4::timestamptz
       FROM unnest($2::text[], $3::numeric[]) AS i(token, spend_usd)
       JOIN api_keys k ON k.region_id = $1::uuid AND k.litellm_key_id = i.token
     ON CONFLICT (api_key_id) DO UPDATE SET spend_usd = EXCLUDED.spend_usd, as_of = EXCLUDED.as_of`,
    [regionId, rows.map((r) => r.token), rows.map((r) => r.spendUsd), asOf],
  );
  return rowCount ?? 0;
}

export interface RegionTeamSpend {
  regionId: string;
  regionName: string;
  spendUsd: number | null;
  maxBudgetUsd: number | null;
  budgetResetAt: Date | null;
  asOf: Date | null;
  /** The region's last spend sync outcome ("ok", "failed") or null when never synced. */
  lastOutcome: string | null;
  lastError: string | null;
}

const num = (value: string | null): number | null => (value === null ? null : Number(value));

export interface DailyPointRow {
  teamId: string;
  regionId: string;
  /** `YYYY-MM-DD`. */
  day: string;
  spendUsd: number;
  budgetResetAt: Date | null;
}

/**
 * The daily points of some teams from `fromDay` to `toDay` (inclusive), plus each team and
 * region's last point before `fromDay` (the baseline core `periodSpend` needs).
 */
export async function dailySpendPoints(
  pool: pg.Pool,
  teamIds: readonly string[],
  fromDay: string,
  toDay: string,
): Promise<DailyPointRow[]> {
  if (teamIds.length === 0) return [];
  const { rows } = await pool.query<{
    team_id: string;
    region_id: string;
    day: string;
    spend_usd: string;
    budget_reset_at: Date | null;
  }>(
    `SELECT team_id::text, region_id::text, to_char(day, 'YYYY-MM-DD') AS day, spend_usd::text, budget_reset_at
       FROM team_spend_daily
      WHERE team_id = ANY($1::uuid[]) AND day BETWEEN $2::date AND $3::date
     UNION ALL
     SELECT b.team_id::text, b.region_id::text, to_char(b.day, 'YYYY-MM-DD'), b.spend_usd::text, b.budget_reset_at
       FROM unnest($1::uuid[]) AS t(id)
       CROSS JOIN LATERAL (
         SELECT DISTINCT ON (d.region_id) d.* FROM team_spend_daily d
          WHERE d.team_id = t.id AND d.day < $2::date
          ORDER BY d.region_id, d.day DESC
       ) b`,
    [teamIds, fromDay, toDay],
  );
  return rows.map((r) => ({
    teamId: r.team_id,
    regionId: r.region_id,
    day: r.day,
    spendUsd: Number(r.spend_usd),
    budgetResetAt: r.budget_reset_at,
  }));
}

/** Sum of the latest readings of an organization's teams, and the oldest reading in it. */
export async function organizationSpend(
  pool: pg.Pool,
  organizationId: string,
): Promise<{ totalUsd: number | null; asOf: Date | null }> {
  const { rows } = await pool.query<{ total: string | null; as_of: Date | null }>(
    `SELECT sum(s.spend_usd)::text AS total, min(s.as_of) AS as_of
       FROM teams t JOIN team_spend s ON s.team_id = t.id
      WHERE t.organization_id = $1::uuid`,
    [organizationId],
  );
  return { totalUsd: num(rows[0]?.total ?? null), asOf: rows[0]?.as_of ?? null };
}

/** Latest spend of some keys (keys never read are absent). */
export async function keySpend(
  pool: pg.Pool,
  apiKeyIds: readonly string[],
): Promise<Map<string, { spendUsd: number; asOf: Date }>> {
  if (apiKeyIds.length === 0) return new Map();
  const { rows } = await pool.query<{ api_key_id: string; spend_usd: string; as_of: Date }>(
    `SELECT api_key_id::text, spend_usd::text, as_of FROM api_key_spend WHERE api_key_id = ANY($1::uuid[])`,
    [apiKeyIds],
  );
  return new Map(rows.map((r) => [r.api_key_id, { spendUsd: Number(r.spend_usd), asOf: r.as_of }]));
}

export interface ReportTeam {
  id: string;
  /** The team's name, or for a team that no longer exists its name when it ended. */
  name: string;
  organizationId: string | null;
  organizationName: string | null;
  /** `active`, `deleted` or `merged:<targetTeamId>`. */
  fate: string;
}

/**
 * Teams with at least one daily point up to `toDay`, in id order, a batch at a time (keyset
 * on id): the report streams them instead of loading every team. Teams that no longer exist
 * (ended_teams: deleted, merged away) come with the living ones, as they were when they
 * ended, so no spend a proxy counted drops out of a period. Each side is an ordered, limited
 * range (teams by primary key; ended_teams by primary key, or per organization by
 * ended_teams_organization_id_team_id_idx), merged and cut to the batch.
 */
export async function reportTeamsBatch(
  pool: pg.Pool,
  options: {
    organizationIds: readonly string[] | null;
    afterId: string | null;
    toDay: string;
    limit: number;
  },
): Promise<ReportTeam[]> {
  const { rows } = await pool.query<{
    id: string;
    name: string;
    organization_id: string | null;
    organization_name: string | null;
    fate: string;
  }>(
    `SELECT x.id::text, x.name, x.organization_id::text, o.name AS organization_name, x.fate
       FROM ((SELECT t.id, t.name, t.organization_id, 'active' AS fate
                FROM teams t
               WHERE ($1::uuid[] IS NULL OR t.organization_id = ANY($1::uuid[]))
                 AND ($2::uuid IS NULL OR t.id > $2::uuid)
                 AND EXISTS (SELECT 1 FROM team_spend_daily d WHERE d.team_id = t.id AND d.day <= $3::date)
               ORDER BY t.id
               LIMIT $4)
             UNION ALL
             (SELECT e.team_id, e.name, e.organization_id,
                     CASE WHEN e.fate = 'merged' THEN 'merged:' || e.merged_into_team_id::text ELSE e.fate END
                FROM ended_teams e
               WHERE ($1::uuid[] IS NULL OR e.organization_id = ANY($1::uuid[]))
                 AND ($2::uuid IS NULL OR e.team_id > $2::uuid)
                 AND EXISTS (SELECT 1 FROM team_spend_daily d WHERE d.team_id = e.team_id AND d.day <= $3::date)
               ORDER BY e.team_id
               LIMIT $4)) x
       LEFT JOIN organizations o ON o.id = x.organization_id
      ORDER BY x.id
      LIMIT $4`,
    [options.organizationIds, options.afterId, options.toDay, options.limit],
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    organizationId: r.organization_id,
    organizationName: r.organization_name,
    fate: r.fate,
  }));
}

/** Daily points before the horizon ($1 day, $2 batch). Exported for the EXPLAIN test. */
export const PRUNE_CANDIDATES_SQL = `
  SELECT o.team_id, o.day, o.region_id FROM team_spend_daily o
   WHERE o.day < $1::date
   LIMIT $2`;

/**
 * Deletes up to `batch` daily spend points dated before `beforeDay` (the retention horizon,
 * GATEHOUSE_SPEND_RETENTION_DAYS) and returns how many: the worker calls it until it returns
 * fewer than `batch`, so a large backlog goes in short transactions. A range of
 * team_spend_daily_day_idx. The only statement that deletes spend history.
 */
export async function pruneSpendHistory(
  pool: pg.Pool,
  options: { beforeDay: string; batch: number },
): Promise<number> {
  const { rowCount } = await pool.query(
    `DELETE FROM team_spend_daily d WHERE (d.team_id, d.day, d.region_id) IN (${PRUNE_CANDIDATES_SQL})`,
    [options.beforeDay, options.batch],
  );
  return rowCount ?? 0;
}
