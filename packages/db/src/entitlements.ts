/**
 * Entitlements and blocks in SQL: a team's effective entitlement (core decides, this reads
 * its active products), the jobs that push entitlements and block states to the proxies,
 * set-based so a product edit or the expiry sweep queues thousands of jobs in one statement.
 */
import {
  blockState,
  effectiveEntitlement,
  expiryCutoff,
  normalizeLegacyLimits,
  type KeyBlockReason,
  type TEntitlement,
  type TProductLimits,
} from "@gatehouse/core";
import type { TeamBlockRow } from "./blocks.ts";
import type pg from "pg";
import type { Prisma, PrismaClient } from "./generated/prisma/client.ts";

type Reader = Pick<PrismaClient, "teamProduct"> | Pick<Prisma.TransactionClient, "teamProduct">;

/** The team's entitlement from its active products (or the defaults when it has none). */
export async function loadTeamEntitlement(
  db: Reader,
  teamId: string,
  defaults: TProductLimits,
): Promise<TEntitlement> {
  const active = await db.teamProduct.findMany({
    where: { teamId, status: "ACTIVE" },
    select: { product: { select: { id: true, name: true, limits: true } } },
  });
  return effectiveEntitlement(
    active.map((a) => ({
      id: a.product.id,
      name: a.product.name,
      limits: normalizeLegacyLimits(a.product.limits),
    })),
    defaults,
  );
}

export type TeamSyncKind = "litellm.pushEntitlement" | "litellm.syncTeamBlock";

type Executor = Pick<Prisma.TransactionClient, "$executeRawUnsafe">;

/**
 * Queues one `kind` job per team and region, for the teams `teamsSql` selects (a query
 * returning a `team_id` column, with `$1...` parameters from `params`), on every region
 * or, with `regionId`, on that one. Payload: the team's LiteLLM id (core litellmTeamId:
 * region name with spaces as `_`, `_`, team id) and its Gatehouse id; handlers read the
 * current state at run time, so a repeated or reordered job converges.
 */
export async function enqueueTeamSyncJobs(
  tx: Executor,
  kind: TeamSyncKind,
  teamsSql: string,
  params: unknown[],
  regionId?: string,
): Promise<number> {
  const regionParam = `$${params.length + 1}`;
  return tx.$executeRawUnsafe(
    `INSERT INTO jobs (kind, payload, region_id)
     SELECT '${kind}',
            jsonb_build_object('teamId', replace(r.name, ' ', '_') || '_' || s.team_id::text, 'gatehouseTeamId', s.team_id::text),
            r.id
       FROM (SELECT DISTINCT team_id FROM (${teamsSql}) q) s
      CROSS JOIN regions r
      WHERE ${regionId === undefined ? "true" : `r.id = ${regionParam}::uuid`}`,
    ...params,
    ...(regionId === undefined ? [] : [regionId]),
  );
}

/** Both pushes for some teams (their limits, their block state), on every region. */
export async function enqueueTeamStateJobs(
  tx: Executor,
  teamIds: string[],
  regionId?: string,
): Promise<void> {
  if (teamIds.length === 0) return;
  for (const kind of ["litellm.pushEntitlement", "litellm.syncTeamBlock"] as const) {
    await enqueueTeamSyncJobs(
      tx,
      kind,
      `SELECT unnest($1::uuid[]) AS team_id`,
      [teamIds],
      regionId,
    );
  }
}

/** A key's block state to its proxy (the handler reads the current reasons). */
export async function enqueueKeyBlockJobs(
  tx: Executor,
  keysSql: string,
  params: unknown[],
): Promise<number> {
  return tx.$executeRawUnsafe(
    `INSERT INTO jobs (kind, payload, region_id, api_key_id)
     SELECT 'litellm.syncKeyBlock', jsonb_build_object('keyToken', k.litellm_key_id, 'keyId', k.id::text), k.region_id, k.id
       FROM api_keys k WHERE k.litellm_key_id IS NOT NULL AND k.id IN (${keysSql})`,
    ...params,
  );
}

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
export async function teamBlockedState(pool: pg.Pool, teamId: string): Promise<boolean | null> {
  const { rows } = await pool.query<{ exists: boolean; blocked: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM teams WHERE id = $1::uuid) AS exists,
            EXISTS (SELECT 1 FROM team_blocks WHERE team_id = $1::uuid) AS blocked`,
    [teamId],
  );
  const row = rows[0];
  return row?.exists ? row.blocked : null;
}

/** A key's block reasons, or null when the key no longer exists. */
export async function keyBlockReasons(
  pool: pg.Pool,
  keyId: string,
): Promise<KeyBlockReason[] | null> {
  const { rows } = await pool.query<{ exists: boolean; reasons: KeyBlockReason[] }>(
    `SELECT EXISTS (SELECT 1 FROM api_keys WHERE id = $1::uuid) AS exists,
            ARRAY(SELECT reason::text FROM api_key_blocks WHERE api_key_id = $1::uuid ORDER BY reason) AS reasons`,
    [keyId],
  );
  const row = rows[0];
  return row?.exists ? blockState(row.reasons).reasons : null;
}

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
  if (lifted > 0)
    await enqueueTeamSyncJobs(tx, "litellm.syncTeamBlock", `SELECT $1::uuid AS team_id`, [teamId]);
  return lifted > 0;
}

/**
 * core shouldBlockExpired in SQL, for team row `t`, with the cutoff as a parameter. The
 * product check is a LIMIT 1 subquery, which the planner cannot flatten into an anti-join:
 * a per-team probe of team_products_team_id_status_idx, where a hash anti-join would read
 * all of team_products to check the few candidates of a round (as in jobs.ts claimJobs).
 */
function expiredPredicate(cutoffParam: string): string {
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
  pool: pg.Pool,
  options: { now: Date; expiryGraceDays: number; extraGraceDays: number; batch?: number },
): Promise<SweepResult> {
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
    const syncJobs = (ids: string) => `
      INSERT INTO jobs (kind, payload, region_id)
      SELECT 'litellm.syncTeamBlock',
             jsonb_build_object('teamId', replace(r.name, ' ', '_') || '_' || c.team_id::text, 'gatehouseTeamId', c.team_id::text),
             r.id
        FROM ${ids} c CROSS JOIN regions r`;
    // Every change is audited in the same transaction, one event per team (no actor: the
    // system), so a team's trail says when and why it was cut off.
    const auditRows = (ids: string, action: string) => `
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
  if (added > 0)
    await enqueueTeamSyncJobs(tx, "litellm.syncTeamBlock", `SELECT $1::uuid AS team_id`, [teamId]);
  return added > 0;
}
