/**
 * The budget alerts after a region's spend sync (core alerts.ts rules, set-based): one
 * statement per batch over the teams whose reading the sync changed (team_spend.changed_at,
 * read through the partial index team_spend_alert_pending_idx and cleared in the same
 * statement), never over all teams. For each such team it finds
 * - the configured thresholds (the organization's alert_settings, core's defaults without a
 *   row) at or below spend / budget, for this region and, for a team on more than one
 *   region, for its total (budgets add, as each proxy enforces its own; the period is the
 *   earliest reset): core thresholdsCrossed;
 * - the forecast: the daily rate since the oldest daily point of the same period within the
 *   last FORECAST_WINDOW_DAYS days, and the day the rest of the budget runs out at it, when
 *   that is before the reset: core forecastExhaustion / totalForecast;
 * and writes them as events (ids as core's builders make them, ON CONFLICT DO NOTHING: a
 * threshold already raised this period raises nothing) with one events.dispatch job each.
 * A team on one region gets the region's events only: its total is the same reading.
 */
import {
  DEFAULT_BUDGET_THRESHOLDS,
  FORECAST_HORIZON_DAYS,
  FORECAST_WINDOW_DAYS,
  epochPartSql,
  eventIdSql,
  isoTimeSql,
} from "@gatehouse/core";
import type { Database } from "../client.ts";

export interface SpendAlertsOutcome {
  /** Team readings looked at (this region's rows the sync changed). */
  teams: number;
  thresholds: number;
  forecasts: number;
}

/** Team rows per statement: bounded transactions when a first sync changed every team. */
const BATCH = 20_000;

/** core scopePart in SQL: the region's id, or "total" for the team across regions. */
const scopePart = (regionColumn: string) => `COALESCE(${regionColumn}::text, 'total')`;

/**
 * One batch. $1 region, $2 now, $3 default thresholds, $4 batch size. Exported for the
 * EXPLAIN test and the bench.
 */
export const SPEND_ALERTS_SQL = `
  WITH pending AS (
    SELECT team_id FROM team_spend
     WHERE region_id = $1::uuid AND changed_at IS NOT NULL
     LIMIT $4
  ), claimed AS (
    UPDATE team_spend s SET changed_at = NULL
      FROM pending p
     WHERE s.team_id = p.team_id AND s.region_id = $1::uuid
    RETURNING s.team_id
  ), rows_of AS (
    -- Every region's row of the claimed teams: the total and its rate need them all.
    SELECT s.team_id, s.region_id, s.spend_usd, s.max_budget_usd AS budget,
           s.budget_reset_at AS reset_at, s.region_id = $1::uuid AS this_region
      FROM team_spend s
     WHERE s.team_id IN (SELECT team_id FROM claimed)
  ), rates AS (
    SELECT r.*,
           COALESCE((r.spend_usd - b.spend_usd)
                    / NULLIF((($2::timestamptz AT TIME ZONE 'UTC')::date - b.day), 0), 0) AS rate
      FROM rows_of r
      LEFT JOIN LATERAL (
        SELECT d.day, d.spend_usd FROM team_spend_daily d
         WHERE d.team_id = r.team_id AND d.region_id = r.region_id
           AND d.day >= ($2::timestamptz AT TIME ZONE 'UTC')::date - ${FORECAST_WINDOW_DAYS}
           AND d.day < ($2::timestamptz AT TIME ZONE 'UTC')::date
           AND d.budget_reset_at IS NOT DISTINCT FROM r.reset_at
         ORDER BY d.day LIMIT 1) b ON true
  ), scopes AS (
    SELECT team_id, region_id, spend_usd, budget, reset_at, rate FROM rates WHERE this_region
    UNION ALL
    SELECT team_id, NULL::uuid, sum(spend_usd), sum(budget), min(reset_at), sum(rate)
      FROM rates GROUP BY team_id HAVING count(*) > 1
  ), judged AS (
    SELECT sc.*, t.organization_id,
           COALESCE(a.budget_thresholds, $3::int[]) AS thresholds,
           -- Seconds until the rest of the budget is spent at the rate, and until the period
           -- ends (or the horizon without a reset date).
           CASE WHEN sc.rate > 0 THEN (sc.budget - sc.spend_usd) / sc.rate * 86400 END AS left_s,
           extract(epoch FROM COALESCE(sc.reset_at, $2::timestamptz + interval '${FORECAST_HORIZON_DAYS} days')
                              - $2::timestamptz) AS period_s
      FROM scopes sc
      JOIN teams t ON t.id = sc.team_id
      LEFT JOIN alert_settings a ON a.organization_id = t.organization_id
     WHERE sc.budget > 0
  ), new_events AS (
    SELECT ${eventIdSql("budget.threshold", ["j.team_id::text", scopePart("j.region_id"), epochPartSql("j.reset_at"), "th::text"])} AS id,
           'budget.threshold' AS type, j.organization_id, j.team_id,
           jsonb_build_object('teamId', j.team_id, 'regionId', j.region_id, 'thresholdPercent', th,
                              'spendUsd', j.spend_usd::float8, 'budgetUsd', j.budget::float8,
                              'periodResetAt', ${isoTimeSql("j.reset_at")}) AS data
      FROM judged j CROSS JOIN LATERAL unnest(j.thresholds) AS th
     WHERE j.spend_usd * 100 >= th * j.budget
    UNION ALL
    SELECT ${eventIdSql("budget.forecast", ["f.team_id::text", scopePart("f.region_id"), epochPartSql("f.reset_at"), "f.exhausted_on"])},
           'budget.forecast', f.organization_id, f.team_id,
           jsonb_build_object('teamId', f.team_id, 'regionId', f.region_id,
                              'spendUsd', f.spend_usd::float8, 'budgetUsd', f.budget::float8,
                              'dailyRateUsd', round(f.rate, 6)::float8,
                              'exhaustedOn', f.exhausted_on,
                              'periodResetAt', ${isoTimeSql("f.reset_at")})
      FROM (SELECT j.*,
                   to_char((($2::timestamptz + make_interval(secs => j.left_s::float8))
                            AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS exhausted_on
              FROM judged j
             WHERE j.left_s > 0 AND j.left_s < j.period_s) f
  ), inserted AS (
    INSERT INTO events (id, type, organization_id, team_id, data, occurred_at)
    SELECT id, type, organization_id, team_id, data, $2::timestamptz FROM new_events
    ON CONFLICT (id) DO NOTHING
    RETURNING id, type
  ), queued AS (
    INSERT INTO jobs (kind, payload)
    SELECT 'events.dispatch', jsonb_build_object('eventId', id) FROM inserted
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM claimed)::int AS teams,
         (SELECT count(*) FROM inserted WHERE type = 'budget.threshold')::int AS thresholds,
         (SELECT count(*) FROM inserted WHERE type = 'budget.forecast')::int AS forecasts,
         (SELECT count(*) FROM queued)::int AS queued`;

/**
 * Evaluates the budget alerts of the rows of `regionId` that syncs changed since the last
 * evaluation (the spend sync calls it at the end of a successful read, under the region's
 * lease), a batch at a time until none is left. Rows a failed sync or evaluation left marked
 * are picked up by the next one.
 */
export async function evaluateSpendAlerts(
  db: Pick<Database, "pool">,
  options: { regionId: string; now: Date; batch?: number },
): Promise<SpendAlertsOutcome> {
  const batch = options.batch ?? BATCH;
  const total: SpendAlertsOutcome = { teams: 0, thresholds: 0, forecasts: 0 };
  for (;;) {
    const { rows } = await db.pool.query<SpendAlertsOutcome>(SPEND_ALERTS_SQL, [
      options.regionId,
      options.now,
      [...DEFAULT_BUDGET_THRESHOLDS],
      batch,
    ]);
    const row = rows[0] ?? { teams: 0, thresholds: 0, forecasts: 0 };
    total.teams += row.teams;
    total.thresholds += row.thresholds;
    total.forecasts += row.forecasts;
    if (row.teams < batch) return total;
  }
}
