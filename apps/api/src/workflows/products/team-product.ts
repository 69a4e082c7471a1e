/**
 * What attaching a product to a team and detaching it share (products/attach.ts,
 * products/detach.ts). Either way the team_products row, the audit event, the entitlement
 * push to every proxy and the team's expiry (an active product ends it; losing the last one
 * may start it) commit together, and the worker is nudged after the commit.
 */
import {
  enqueueForEach,
  transaction,
  type blockIfExpired,
  type liftExpiredIfPaid,
  type TeamProduct,
  type Tx,
} from "@gatehouse/db";
import { writeAudit, type AuditInput } from "../../audit/write.ts";
import type { Context } from "../../context.ts";
import { toIso } from "../../routers/shared.schema.ts";

export interface TeamProductChange {
  teamId: string;
  productId: string;
}

export interface ChangedRow {
  row: TeamProduct;
  audit: Pick<AuditInput, "action" | "organizationId" | "details">;
}

export async function changeTeamProduct(
  ctx: Context,
  input: TeamProductChange,
  change: (tx: Tx) => Promise<ChangedRow>,
  settleExpiry: typeof liftExpiredIfPaid | typeof blockIfExpired,
) {
  const result = await transaction(ctx.db, async (tx) => {
    const { row, audit } = await change(tx);
    await writeAudit(tx, ctx, { ...audit, targetType: "team", targetId: input.teamId });
    await enqueueForEach(tx, "litellm.pushEntitlement", { teamIds: [input.teamId] });
    await settleExpiry(
      tx,
      input.teamId,
      ctx.clock.now(),
      ctx.config.expiryGraceDays,
      ctx.config.expiredBlockGraceDays,
    );
    return {
      id: row.id,
      teamId: row.teamId,
      productId: row.productId,
      status: row.status,
      createdAt: toIso(row.createdAt),
    };
  });
  return result;
}
