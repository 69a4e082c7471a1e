/**
 * Expiry warnings (core expiryWarningDue, set-based), run by the worker's expiry sweep: the
 * teams whose expiry block is due within the largest configured warning (their last payment,
 * or creation, inside one window of teams_last_payment_created_idx, the sweep's own index),
 * each warned at the tightest of its organization's thresholds at or above its days left.
 * Ids are (team, expiry instant, threshold): a round that finds the same warning again
 * raises nothing, and a payment moves the expiry and re-arms the warnings.
 *
 * The whole window is read every round rather than only the teams that crossed a threshold
 * since the last: a payment date or a product change can put a team inside a window whose
 * start has passed, and the window is a bounded range of the index (the teams expiring in
 * the next couple of weeks), probed per row by primary keys.
 */
import {
  DEFAULT_EXPIRY_WARNING_DAYS,
  expiryCutoff,
  eventIdSql,
  epochPartSql,
  isoTimeSql,
} from "@gatehouse/core";
import type { Database } from "../client.ts";

const DAY_MS = 86_400_000;

/** A team `t` that can expire: not always-free, no active product (as expiredPredicate). */
const CAN_EXPIRE = `NOT t.always_free
  AND NOT EXISTS (SELECT 1 FROM (SELECT 1 FROM team_products ap
                                  WHERE ap.team_id = t.id AND ap.status = 'ACTIVE' LIMIT 1) AS active)`;

/**
 * $1 now, $2 window start (the expiry cutoff: paid then, expires now), $3 window end, $4 the
 * whole grace in days, $5 core's default warning days. Exported for the EXPLAIN test.
 */
export const EXPIRY_WARNINGS_SQL = `
  WITH candidates AS (
    (SELECT t.id, t.organization_id, t.last_payment_at AS since FROM teams t
      WHERE t.last_payment_at > $2::timestamptz AND t.last_payment_at <= $3::timestamptz
        AND ${CAN_EXPIRE})
    UNION ALL
    (SELECT t.id, t.organization_id, t.created_at FROM teams t
      WHERE t.last_payment_at IS NULL
        AND t.created_at > $2::timestamptz AND t.created_at <= $3::timestamptz
        AND ${CAN_EXPIRE})
  ), expiring AS (
    SELECT c.id AS team_id, c.organization_id,
           c.since + make_interval(secs => $4::int * 86400) AS expires_at,
           COALESCE(a.expiry_warning_days, $5::int[]) AS days
      FROM candidates c
      LEFT JOIN alert_settings a ON a.organization_id = c.organization_id
  ), due AS (
    SELECT e.*, w.days_left,
           (SELECT min(d) FROM unnest(e.days) AS d WHERE d >= w.days_left) AS threshold
      FROM expiring e
      CROSS JOIN LATERAL (
        SELECT ceil(extract(epoch FROM e.expires_at - $1::timestamptz) / 86400)::int AS days_left) w
     WHERE e.expires_at > $1::timestamptz
  ), inserted AS (
    INSERT INTO events (id, type, organization_id, team_id, data, occurred_at)
    SELECT ${eventIdSql("team.expiry_warning", ["d.team_id::text", epochPartSql("d.expires_at"), "d.threshold::text"])},
           'team.expiry_warning', d.organization_id, d.team_id,
           jsonb_build_object('teamId', d.team_id, 'daysLeft', d.days_left,
                              'expiresAt', ${isoTimeSql("d.expires_at")}),
           $1::timestamptz
      FROM due d WHERE d.threshold IS NOT NULL
    ON CONFLICT (id) DO NOTHING
    RETURNING id
  ), queued AS (
    INSERT INTO jobs (kind, payload)
    SELECT 'events.dispatch', jsonb_build_object('eventId', id) FROM inserted
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM queued)::int AS n`;

/** Raises the expiry warnings due now; answers how many were new. */
export async function evaluateExpiryWarnings(
  db: Pick<Database, "pool">,
  options: { now: Date; expiryGraceDays: number; extraGraceDays: number },
): Promise<number> {
  const grace = options.expiryGraceDays + options.extraGraceDays;
  const start = expiryCutoff(options.now, grace);
  // The widest warning any organization asked for (core's schema caps a threshold at 365).
  const { rows: widest } = await db.pool.query<{ days: number | null }>(
    `SELECT max(d)::int AS days FROM alert_settings, unnest(expiry_warning_days) AS d`,
  );
  const days = Math.max(widest[0]?.days ?? 0, ...DEFAULT_EXPIRY_WARNING_DAYS);
  const end = new Date(start.getTime() + days * DAY_MS);
  const { rows } = await db.pool.query<{ n: number }>(EXPIRY_WARNINGS_SQL, [
    options.now,
    start,
    end,
    grace,
    [...DEFAULT_EXPIRY_WARNING_DAYS],
  ]);
  return rows[0]?.n ?? 0;
}
