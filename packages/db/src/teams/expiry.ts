/**
 * The `expired` block: core's expiry rule (isTeamExpired, at expiryCutoff) applied in SQL,
 * by the worker's sweep for every team crossing the cutoff and at once for one team whose
 * payment, products or always-free flag changed. Each change queues the team's proxy block
 * state in the same transaction.
 */
import { expiryCutoff } from "@gatehouse/core";
import { enqueueForEach, insertTeamJobsSql } from "../jobs/enqueue.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { poolOf, type PoolSource } from "../pool-source.ts";

type Executor = Pick<Prisma.TransactionClient, "$executeRawUnsafe">;

/**
 * Lifts the `expired` block of one team if core's rule no longer holds for it (a payment, a
 * product, always-free), inside the caller's transaction, and queues the proxy unblock.
 * Called by teams.update and products.attach so access comes back at once.
 */
export async function liftExpiredIfPaid(
  tx: Executor,
  teamId: string,
  now: Date,
  expiryGraceDays: number,
  extraGraceDays: number,
): Promise<boolean> {
  const lifted = await tx.$executeRawUnsafe(
    `DELETE FROM team_blocks b USING teams t
      WHERE b.team_id = $1::uuid AND b.reason = 'expired' AND t.id = b.team_id
        AND NOT (${expiredPredicate("$2")})`,
    teamId,
    expiryCutoff(now, expiryGraceDays + extraGraceDays),
  );
  if (lifted > 0) await enqueueForEach(tx, "litellm.syncTeamBlock", { teamIds: [teamId] });
  return lifted > 0;
}

/**
 * core shouldBlockExpired in SQL, for team row `t`, with the cutoff as a parameter. The
 * product check is a LIMIT 1 subquery, which the planner cannot flatten into an anti-join:
 * a per-team probe of team_products_team_id_status_idx, where a hash anti-join would read
 * all of team_products to check the few candidates of a round (as in jobs/queue.ts claimJobs).
 */
export function expiredPredicate(cutoffParam: `$${number}`): string {
  return `(NOT t.always_free
           AND COALESCE(t.last_payment_at, t.created_at) < ${cutoffParam}::timestamptz
           AND NOT EXISTS (SELECT 1 FROM (SELECT 1 FROM team_products ap
                                           WHERE ap.team_id = t.id AND ap.status = 'ACTIVE' LIMIT 1) AS active))`;
}

/** No `expired` block yet on team `t` (a primary-key probe, same LIMIT 1 shape). */
const NOT_YET_BLOCKED = `NOT EXISTS (SELECT 1 FROM (SELECT 1 FROM team_blocks x
                                        WHERE x.team_id = t.id AND x.reason = 'expired' LIMIT 1) AS blocked)`;

/**
 * Teams the sweep blocks now ($1: cutoff, $2: batch, $3: the previous round's cutoff or
 * null for a full round): two ranges of teams_last_payment_created_idx (paid before the
 * cutoff; never paid and created before it), from the previous cutoff on, so a round reads
 * only the teams that crossed the cutoff since; each row is checked for an existing
 * `expired` block and an active product by index probes. Exported for the EXPLAIN test.
 */
export const SWEEP_BLOCK_CANDIDATES_SQL = `
  (SELECT t.id FROM teams t
    WHERE t.last_payment_at < $1::timestamptz
      AND ($3::timestamptz IS NULL OR t.last_payment_at >= $3::timestamptz)
      AND ${expiredPredicate("$1")}
      AND ${NOT_YET_BLOCKED}
    LIMIT $2)
  UNION ALL
  (SELECT t.id FROM teams t
    WHERE t.last_payment_at IS NULL AND t.created_at < $1::timestamptz
      AND ($3::timestamptz IS NULL OR t.created_at >= $3::timestamptz)
      AND ${expiredPredicate("$1")}
      AND ${NOT_YET_BLOCKED}
    LIMIT $2)`;

/** `expired` blocks that no longer hold ($1: cutoff, $2: batch), from team_blocks_reason_team_id_idx. */
export const SWEEP_LIFT_CANDIDATES_SQL = `
  SELECT x.team_id, x.reason FROM team_blocks x JOIN teams t ON t.id = x.team_id
   WHERE x.reason = 'expired' AND NOT ${expiredPredicate("$1")}
   LIMIT $2`;

export interface SweepResult {
  /** false: another worker holds the sweep. */
  ran: boolean;
  /** A full round (first ever, or the grace changed) rather than the teams crossing since the last. */
  full: boolean;
  blocked: number;
  unblocked: number;
  /** More to do: the round stopped at its batch size. */
  more: boolean;
}

/**
 * One round of the expiry sweep, in one transaction holding the sweep's row lock (a
 * second worker skips the round): adds the `expired` reason to the teams that crossed the
 * cutoff since the previous round, and queues their proxy blocks; a full round (first ever,
 * or a changed grace) also lifts `expired` blocks that no longer hold. Between rounds,
 * payments, products and billing changes add and lift the reason themselves
 * (liftExpiredIfPaid, blockIfExpired), so the window never misses a team. Each side is
 * capped at `batch` teams; the cutoff advances only once a window is done (`more` false).
 */
export async function sweepExpiredTeams(
  source: PoolSource,
  options: { now: Date; expiryGraceDays: number; extraGraceDays: number; batch?: number },
): Promise<SweepResult> {
  const pool = poolOf(source);
  const grace = options.expiryGraceDays + options.extraGraceDays;
  const cutoff = expiryCutoff(options.now, grace);
  const batch = options.batch ?? 10_000;
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query(
      `INSERT INTO expiry_sweeps (name) VALUES ('expired') ON CONFLICT DO NOTHING`,
    );
    let state: { last_cutoff: Date | null; grace_days: number | null } | undefined;
    try {
      ({
        rows: [state],
      } = await client.query<{ last_cutoff: Date | null; grace_days: number | null }>(
        `SELECT last_cutoff, grace_days FROM expiry_sweeps WHERE name = 'expired' FOR UPDATE NOWAIT`,
      ));
    } catch (error) {
      // 55P03 lock_not_available: another worker is sweeping.
      if ((error as { code?: string }).code !== "55P03") throw error;
      await client.query("ROLLBACK");
      return { ran: false, full: false, blocked: 0, unblocked: 0, more: false };
    }
    const full = !state?.last_cutoff || state.grace_days !== grace || state.last_cutoff > cutoff;
    const since = full ? null : state!.last_cutoff;
    const syncJobs = (ids: "added" | "lifted") =>
      `${insertTeamJobsSql("litellm.syncTeamBlock")} FROM ${ids} c CROSS JOIN regions r`;
    // Every change is audited in the same transaction, one event per team (no actor: the
    // system), so a team's trail says when and why it was cut off.
    const auditRows = (ids: "added" | "lifted", action: "team.block" | "team.unblock") => `
      INSERT INTO audit_events (action, target_type, target_id, organization_id, details)
      SELECT '${action}', 'team', c.team_id::text, t.organization_id,
             jsonb_build_object('reason', 'expired', 'by', 'expiry sweep', 'graceDays', ${grace})
        FROM ${ids} c JOIN teams t ON t.id = c.team_id`;
    const blocked = await client.query<{ n: number; capped: boolean }>(
      `WITH candidates AS (${SWEEP_BLOCK_CANDIDATES_SQL}),
       added AS (
         INSERT INTO team_blocks (team_id, reason, note, created_at)
         SELECT id, 'expired', NULL, $4::timestamptz FROM candidates
         ON CONFLICT DO NOTHING
         RETURNING team_id),
       queued AS (${syncJobs("added")} RETURNING 1),
       audited AS (${auditRows("added", "team.block")} RETURNING 1)
       SELECT (SELECT count(*) FROM added)::int AS n, (SELECT count(*) FROM candidates) >= $2 AS capped`,
      [cutoff, batch, since, options.now],
    );
    let unblocked = 0;
    let liftCapped = false;
    if (full) {
      const lifted = await client.query<{ n: number }>(
        `WITH lifted AS (
           DELETE FROM team_blocks b
            WHERE (b.team_id, b.reason) IN (${SWEEP_LIFT_CANDIDATES_SQL})
            RETURNING b.team_id),
         queued AS (${syncJobs("lifted")} RETURNING 1),
         audited AS (${auditRows("lifted", "team.unblock")} RETURNING 1)
         SELECT (SELECT count(*) FROM lifted)::int AS n`,
        [cutoff, batch],
      );
      unblocked = lifted.rows[0]?.n ?? 0;
      liftCapped = unblocked >= batch;
    }
    const more = (blocked.rows[0]?.capped ?? false) || liftCapped;
    if (!more) {
      await client.query(
        `UPDATE expiry_sweeps SET last_cutoff = $1, grace_days = $2, updated_at = now() WHERE name = 'expired'`,
        [cutoff, grace],
      );
    }
    await client.query("COMMIT");
    return { ran: true, full, blocked: blocked.rows[0]?.n ?? 0, unblocked, more };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Adds the `expired` reason to one team if core's rule holds for it now (a product
 * detached, always-free turned off, a payment date moved back: the sweep's window only
 * covers teams crossing the cutoff over time), in the caller's transaction, and queues the
 * proxy block.
 */
export async function blockIfExpired(
  tx: Executor,
  teamId: string,
  now: Date,
  expiryGraceDays: number,
  extraGraceDays: number,
): Promise<boolean> {
  const added = await tx.$executeRawUnsafe(
    `INSERT INTO team_blocks (team_id, reason, note, created_at)
     SELECT t.id, 'expired', NULL, $3::timestamptz FROM teams t
      WHERE t.id = $1::uuid AND ${expiredPredicate("$2")}
     ON CONFLICT DO NOTHING`,
    teamId,
    expiryCutoff(now, expiryGraceDays + extraGraceDays),
    now,
  );
  if (added > 0) await enqueueForEach(tx, "litellm.syncTeamBlock", { teamIds: [teamId] });
  return added > 0;
}
