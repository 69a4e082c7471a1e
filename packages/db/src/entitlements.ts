/**
 * Entitlements and blocks in SQL: a team's effective entitlement (core decides, this reads
 * its active products), the jobs that push entitlements and block states to the proxies,
 * set-based so a product edit or the expiry sweep queues thousands of jobs in one statement.
 */
import {
  blockState,
  effectiveEntitlement,
  expiryCutoff,
  lapseCutoff,
  normalizeLegacyLimits,
  renewalPeriodStart,
  shouldRenew,
  type KeyBlockReason,
  type TeamBlockReason,
  type TEntitlement,
  type TProductLimits,
} from "@gatehouse/core";
import type { TeamBlockRow } from "./teams/blocks.ts";
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
 * A team sync job's payload in SQL, for the team in `teams.team_id` and the region in `r`:
 * the team's LiteLLM id (core litellmTeamId: region name with spaces as `_`, `_`, team id)
 * and its Gatehouse id.
 */
const teamSyncPayloadSql = (teams: string): string =>
  `jsonb_build_object('teamId', replace(r.name, ' ', '_') || '_' || ${teams}.team_id::text, 'gatehouseTeamId', ${teams}.team_id::text)`;

/**
 * Queues one `kind` job per team and region, for the teams `teamsSql` selects (a query
 * returning a `team_id` column, with `$1...` parameters from `params`), on every region
 * or, with `regionId`, on that one. Payload: teamSyncPayloadSql; handlers read the
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
            ${teamSyncPayloadSql("s")},
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
             ${teamSyncPayloadSql("c")},
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

/** What a region's proxy must enforce for one team: its entitlement and block reasons. */
export interface TeamEnforcement {
  name: string;
  entitlement: TEntitlement;
  blockReasons: TeamBlockReason[];
}

/**
 * Entitlement and block reasons of many teams in one statement (reconciliation compares a
 * page of teams at a time); teams that do not exist are absent from the map.
 */
export async function teamsEnforcement(
  pool: pg.Pool,
  teamIds: readonly string[],
  defaults: TProductLimits,
): Promise<Map<string, TeamEnforcement>> {
  if (teamIds.length === 0) return new Map();
  const { rows } = await pool.query<{
    id: string;
    name: string;
    products: Array<{ id: string; name: string; limits: unknown }>;
    reasons: TeamBlockReason[];
  }>(
    `SELECT t.id::text, t.name,
            COALESCE((SELECT json_agg(json_build_object('id', p.id, 'name', p.name, 'limits', p.limits))
                        FROM team_products tp JOIN products p ON p.id = tp.product_id
                       WHERE tp.team_id = t.id AND tp.status = 'ACTIVE'), '[]'::json) AS products,
            ARRAY(SELECT reason::text FROM team_blocks b WHERE b.team_id = t.id ORDER BY reason) AS reasons
       FROM teams t WHERE t.id = ANY($1::uuid[])`,
    [teamIds],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        name: r.name,
        entitlement: effectiveEntitlement(
          r.products.map((p) => ({
            id: p.id,
            name: p.name,
            limits: normalizeLegacyLimits(p.limits),
          })),
          defaults,
        ),
        blockReasons: blockState(r.reasons).reasons,
      },
    ]),
  );
}

/** Block reasons of many keys (keys without any are absent from the map). */
export async function keysBlockReasons(
  pool: pg.Pool,
  keyIds: readonly string[],
): Promise<Map<string, KeyBlockReason[]>> {
  if (keyIds.length === 0) return new Map();
  const { rows } = await pool.query<{ id: string; reasons: KeyBlockReason[] }>(
    `SELECT api_key_id::text AS id, array_agg(reason::text ORDER BY reason) AS reasons
       FROM api_key_blocks WHERE api_key_id = ANY($1::uuid[]) GROUP BY api_key_id`,
    [keyIds],
  );
  return new Map(rows.map((r) => [r.id, r.reasons]));
}

/**
 * The lapse candidates of one product ($1 product, $2 cutoff, $3 batch): one range of
 * team_products_product_id_status_period_start_idx, in no particular order (any batch of
 * them will do; the rest go in the next). Exported for the EXPLAIN test.
 */
export const LAPSE_CANDIDATES_SQL = `
  SELECT tp.id FROM team_products tp
   WHERE tp.product_id = $1::uuid AND tp.status = 'ACTIVE' AND tp.period_start < $2::timestamptz
   LIMIT $3`;

export interface LapseResult {
  /** Attachments that lapsed this round. */
  lapsed: number;
  /** Teams the lapse left expired past the block grace, blocked now. */
  blocked: number;
  /** A product stopped at its batch size: call again. */
  more: boolean;
}

/**
 * Lapses the products whose renewal period plus the expiry grace has passed (core
 * shouldLapse, in SQL through lapseCutoff): per product, one index range of
 * team_products_product_id_status_period_start_idx (`product_id = p AND status = 'ACTIVE'
 * AND period_start < cutoff`), so a round reads only the attachments to lapse whatever the
 * number of teams. Each product's batch is one transaction: status LAPSED, an audit event
 * per attachment (no actor: the system), the entitlement pushed to every proxy (the proxy
 * loses what the product granted), and the team's expiry rule applied at once to the teams
 * concerned (the expiry sweep's window only sees teams whose payment date crosses its
 * cutoff, and these crossed it long ago while the product kept them paid).
 *
 * A payment racing the sweep: teams.update locks the team's attachments and moves their
 * period start; the UPDATE here re-checks `status` and `period_start` on the row it waited
 * for, so a renewed attachment is not lapsed.
 */
export async function lapseProducts(
  pool: pg.Pool,
  options: { now: Date; expiryGraceDays: number; extraGraceDays: number; batch?: number },
): Promise<LapseResult> {
  const batch = options.batch ?? 10_000;
  const { rows: products } = await pool.query<{
    id: string;
    name: string;
    renewal_period_days: number;
  }>(`SELECT id::text, name, renewal_period_days FROM products ORDER BY id`);
  const result: LapseResult = { lapsed: 0, blocked: 0, more: false };
  const blockCutoff = expiryCutoff(options.now, options.expiryGraceDays + options.extraGraceDays);
  for (const product of products) {
    const cutoff = lapseCutoff(options.now, product.renewal_period_days, options.expiryGraceDays);
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const lapsed = await client.query<{ team_ids: string[] | null; n: number }>(
        `WITH candidates AS (${LAPSE_CANDIDATES_SQL}),
         lapsed AS (
           UPDATE team_products tp SET status = 'LAPSED', lapsed_at = $4::timestamptz
             FROM candidates c
            WHERE tp.id = c.id AND tp.status = 'ACTIVE' AND tp.period_start < $2::timestamptz
            RETURNING tp.team_id, tp.period_start),
         teams_of AS (SELECT DISTINCT team_id FROM lapsed),
         queued AS (
           INSERT INTO jobs (kind, payload, region_id)
           SELECT 'litellm.pushEntitlement',
                  ${teamSyncPayloadSql("c")},
                  r.id
             FROM teams_of c CROSS JOIN regions r
           RETURNING 1),
         audited AS (
           INSERT INTO audit_events (action, target_type, target_id, organization_id, details)
           SELECT 'product.lapse', 'team', l.team_id::text, t.organization_id,
                  jsonb_build_object('productId', $1::text, 'productName', $5::text,
                                     'periodStart', l.period_start, 'renewalPeriodDays', $6::int,
                                     'graceDays', $7::int, 'by', 'expiry sweep')
             FROM lapsed l JOIN teams t ON t.id = l.team_id
           RETURNING 1)
         SELECT (SELECT array_agg(team_id::text) FROM teams_of) AS team_ids,
                (SELECT count(*) FROM lapsed)::int AS n`,
        [
          product.id,
          cutoff,
          batch,
          options.now,
          product.name,
          product.renewal_period_days,
          options.expiryGraceDays,
        ],
      );
      const teamIds = lapsed.rows[0]?.team_ids ?? [];
      const n = lapsed.rows[0]?.n ?? 0;
      if (teamIds.length > 0) {
        // A second statement: the first one's snapshot still sees the products ACTIVE.
        const blocked = await client.query<{ n: number }>(
          `WITH added AS (
             INSERT INTO team_blocks (team_id, reason, note, created_at)
             SELECT t.id, 'expired', NULL, $3::timestamptz FROM teams t
              WHERE t.id = ANY($1::uuid[]) AND ${expiredPredicate("$2")}
             ON CONFLICT DO NOTHING
             RETURNING team_id),
           queued AS (
             INSERT INTO jobs (kind, payload, region_id)
             SELECT 'litellm.syncTeamBlock',
                    ${teamSyncPayloadSql("c")},
                    r.id
               FROM added c CROSS JOIN regions r
             RETURNING 1),
           audited AS (
             INSERT INTO audit_events (action, target_type, target_id, organization_id, details)
             SELECT 'team.block', 'team', c.team_id::text, t.organization_id,
                    jsonb_build_object('reason', 'expired', 'by', 'expiry sweep', 'after', 'product.lapse')
               FROM added c JOIN teams t ON t.id = c.team_id
             RETURNING 1)
           SELECT count(*)::int AS n FROM added`,
          [teamIds, blockCutoff, options.now],
        );
        result.blocked += blocked.rows[0]?.n ?? 0;
      }
      await client.query("COMMIT");
      result.lapsed += n;
      if (n >= batch) result.more = true;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
  return result;
}

export interface RenewedProduct {
  teamProductId: string;
  productId: string;
  productName: string;
}

/**
 * A payment was recorded (or its date changed) for a team, in the caller's transaction: every
 * ACTIVE or LAPSED attachment of the team starts its period at the later of the payment and
 * the attachment (core renewalPeriodStart), and each LAPSED one whose new period has not run
 * out is ACTIVE again (core shouldRenew). The rows are locked first, so a lapse racing this
 * waits and re-checks. Returns the renewed attachments; the caller audits them and pushes
 * the entitlement.
 */
export async function applyPaymentToProducts(
  tx: Pick<Prisma.TransactionClient, "$queryRaw" | "$executeRaw">,
  teamId: string,
  lastPaymentAt: Date | null,
  now: Date,
  expiryGraceDays: number,
): Promise<RenewedProduct[]> {
  const rows = await tx.$queryRaw<
    Array<{
      id: string;
      product_id: string;
      name: string;
      status: "ACTIVE" | "LAPSED";
      created_at: Date;
      lapsed_at: Date | null;
      renewal_period_days: number;
    }>
  >`
    SELECT tp.id::text, tp.product_id::text, p.name, tp.status::text AS status, tp.created_at,
           tp.lapsed_at, p.renewal_period_days
      FROM team_products tp JOIN products p ON p.id = tp.product_id
     WHERE tp.team_id = ${teamId}::uuid AND tp.status IN ('ACTIVE', 'LAPSED')
     ORDER BY tp.id
       FOR UPDATE OF tp`;
  if (rows.length === 0) return [];
  const updates = rows.map((r) => {
    const facts = {
      status: r.status,
      attachedAt: r.created_at,
      lastPaymentAt,
      renewalPeriodDays: r.renewal_period_days,
      lapsedAt: r.lapsed_at,
    };
    return {
      row: r,
      periodStart: renewalPeriodStart(r.created_at, lastPaymentAt),
      renew: shouldRenew(facts, now, expiryGraceDays),
    };
  });
  const doc = JSON.stringify(
    updates.map((u) => ({ i: u.row.id, s: u.periodStart.toISOString(), r: u.renew })),
  );
  await tx.$executeRaw`
    UPDATE team_products tp
       SET period_start = x.s,
           status = CASE WHEN x.r THEN 'ACTIVE'::"TeamProductStatus" ELSE tp.status END,
           lapsed_at = CASE WHEN x.r THEN NULL ELSE tp.lapsed_at END
      FROM jsonb_to_recordset(${doc}::jsonb) AS x(i uuid, s timestamptz, r boolean)
     WHERE tp.id = x.i`;
  return updates
    .filter((u) => u.renew)
    .map((u) => ({
      teamProductId: u.row.id,
      productId: u.row.product_id,
      productName: u.row.name,
    }));
}
