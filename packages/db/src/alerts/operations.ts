/**
 * Operations events (organization null; system admins), found by one statement the worker's
 * periodic check runs:
 * - region.sync_failing: a region's spend sync has failed since its last successful read (or
 *   its creation) for longer than GATEHOUSE_ALERT_SYNC_FAILING_AFTER_MS. The episode is its
 *   failing-since instant, which only a success moves: one event per episode.
 *   Reconciliation records no last success, so its failures are not judged here (its
 *   outcome shows on the regions screen).
 * - region.drift: the last reconciliation of a region found differences; one event per
 *   reconciliation (its start instant is its id).
 * - jobs.failing: failed jobs exist, or the oldest runnable job has waited longer than
 *   GATEHOUSE_ALERT_QUEUE_AGE_MS. The episode is the oldest failed job's failure time (or
 *   the overdue job's run_at): stable while it stays failed (waiting), so it fires once.
 * Everything reads the small per-region lease rows and the jobs (status, run_at) index.
 */
import { eventIdSql, epochPartSql, isoTimeSql } from "@gatehouse/core";
import type { Database } from "../client.ts";

/** $1 now, $2 sync failing after (ms), $3 queue age (ms). Exported for the EXPLAIN test. */
export const OPERATIONS_ALERTS_SQL = `
  WITH failing AS (
    SELECT r.id AS region_id, r.name, COALESCE(s.last_ok_at, r.created_at) AS since, s.error
      FROM region_spend_syncs s JOIN regions r ON r.id = s.region_id
     WHERE r.is_active AND s.outcome = 'failed'
       AND COALESCE(s.last_ok_at, r.created_at) < $1::timestamptz - make_interval(secs => $2::float8 / 1000)
  ), drift AS (
    SELECT r.id AS region_id, r.name, x.started_at, x.difference_count
      FROM region_reconciliations x JOIN regions r ON r.id = x.region_id
     WHERE r.is_active AND x.outcome = 'ok' AND x.difference_count > 0 AND x.started_at IS NOT NULL
  ), failed AS (
    SELECT count(*)::int AS n, min(updated_at) AS since FROM jobs WHERE status = 'FAILED'
  ), waiting AS (
    SELECT run_at FROM jobs WHERE status = 'PENDING' AND run_at <= $1::timestamptz
     ORDER BY run_at LIMIT 1
  ), queue AS (
    SELECT f.n, GREATEST(0, extract(epoch FROM $1::timestamptz - w.run_at))::float8 AS oldest_s,
           CASE WHEN f.n > 0 THEN f.since ELSE w.run_at END AS since
      FROM failed f LEFT JOIN waiting w ON true
  ), new_events AS (
    SELECT ${eventIdSql("region.sync_failing", ["f.region_id::text", "'spend_sync'", epochPartSql("f.since")])} AS id,
           'region.sync_failing' AS type,
           jsonb_build_object('regionId', f.region_id, 'regionName', f.name, 'operation', 'spend_sync',
                              'failingSince', ${isoTimeSql("f.since")}, 'error', f.error) AS data
      FROM failing f
    UNION ALL
    SELECT ${eventIdSql("region.drift", ["d.region_id::text", epochPartSql("d.started_at")])},
           'region.drift',
           jsonb_build_object('regionId', d.region_id, 'regionName', d.name,
                              'reconciliationId', ${epochPartSql("d.started_at")},
                              'differences', d.difference_count)
      FROM drift d
    UNION ALL
    SELECT ${eventIdSql("jobs.failing", ["'-'", epochPartSql("q.since")])},
           'jobs.failing',
           jsonb_build_object('failedJobs', q.n, 'oldestPendingSeconds', COALESCE(q.oldest_s, 0),
                              'regionId', NULL)
      FROM queue q
     WHERE q.n > 0 OR q.oldest_s * 1000 > $3::float8
  ), inserted AS (
    INSERT INTO events (id, type, organization_id, team_id, data, occurred_at)
    SELECT id, type, NULL, NULL, data, $1::timestamptz FROM new_events
    ON CONFLICT (id) DO NOTHING
    RETURNING id
  ), queued AS (
    INSERT INTO jobs (kind, payload)
    SELECT 'events.dispatch', jsonb_build_object('eventId', id) FROM inserted
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM queued)::int AS n`;

/** Raises the operations events due now; answers how many were new. */
export async function evaluateOperationsAlerts(
  db: Pick<Database, "pool">,
  options: { now: Date; syncFailingAfterMs: number; queueAgeMs: number },
): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(OPERATIONS_ALERTS_SQL, [
    options.now,
    options.syncFailingAfterMs,
    options.queueAgeMs,
  ]);
  return rows[0]?.n ?? 0;
}
