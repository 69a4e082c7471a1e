/**
 * Renewal of a team's products: a payment starts a new period for each attachment (and
 * renews lapsed ones), and the worker lapses attachments whose period plus the expiry grace
 * has passed (core renewalPeriodStart, shouldRenew, lapseCutoff).
 */
import { expiryCutoff, lapseCutoff, renewalPeriodStart, shouldRenew } from "@gatehouse/core";
import { insertTeamJobsSql } from "../jobs/enqueue.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { expiredPredicate } from "./expiry.ts";
import { poolOf, type PoolSource } from "../pool-source.ts";

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
  source: PoolSource,
  options: { now: Date; expiryGraceDays: number; extraGraceDays: number; batch?: number },
): Promise<LapseResult> {
  const pool = poolOf(source);
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
           ${insertTeamJobsSql("litellm.pushEntitlement")}
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
             ${insertTeamJobsSql("litellm.syncTeamBlock")}
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
