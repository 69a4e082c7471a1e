/**
 * Attaching a product to a team and detaching it: one workflow, two changes. Either way the
 * team_products row, the audit event, the entitlement push to every proxy and the team's
 * expiry (an active product ends it; losing the last one may start it) commit together, and
 * the worker is nudged after the commit.
 */
import { conflict, notFound, preconditionFailed, renewalPeriodStart } from "@gatehouse/core";
import {
  blockIfExpired,
  enqueueForEach,
  liftExpiredIfPaid,
  lockTeam,
  type Prisma,
  type TeamProduct,
} from "@gatehouse/db";
import { writeAudit, type AuditInput } from "../audit/write.ts";
import type { Context } from "../context.ts";
import { toIso } from "../routers/shared.schema.ts";

export interface TeamProductChange {
  teamId: string;
  productId: string;
}

interface ChangedRow {
  row: TeamProduct;
  audit: Pick<AuditInput, "action" | "organizationId" | "details">;
}

async function changeTeamProduct(
  ctx: Context,
  input: TeamProductChange,
  change: (tx: Prisma.TransactionClient) => Promise<ChangedRow>,
  settleExpiry: typeof liftExpiredIfPaid | typeof blockIfExpired,
) {
  const result = await ctx.db.prisma.$transaction(async (tx) => {
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
  ctx.jobs?.nudge();
  return result;
}

/** products.attach: a new ACTIVE row; an active product ends expiry at once. */
export function attachProduct(ctx: Context, input: TeamProductChange) {
  return changeTeamProduct(
    ctx,
    input,
    async (tx) => {
      // Lock the team: a merge checks "no active product" under the same lock.
      const team = await lockTeam(tx, input.teamId);
      if (!team) throw notFound("Team");
      const product = await tx.product.findUnique({ where: { id: input.productId } });
      if (!product) throw notFound("Product");
      // A deactivated product is withdrawn from sale; teams holding it keep it.
      if (!product.isActive)
        throw preconditionFailed("This product is inactive and cannot be attached", {
          field: "productId",
        });
      const active = await tx.teamProduct.findFirst({
        where: { teamId: input.teamId, productId: input.productId, status: "ACTIVE" },
      });
      if (active) throw conflict("This product is already active on the team");
      const now = ctx.clock.now();
      // Attaching again starts a new subscription: a lapsed attachment of the same product
      // ends (CANCELLED) so a later payment cannot renew it beside the new one.
      await tx.teamProduct.updateMany({
        where: { teamId: input.teamId, productId: input.productId, status: "LAPSED" },
        data: { status: "CANCELLED", cancelledAt: now },
      });
      const paid = await tx.team.findUniqueOrThrow({
        where: { id: input.teamId },
        select: { lastPaymentAt: true },
      });
      const row = await tx.teamProduct.create({
        data: {
          teamId: input.teamId,
          productId: input.productId,
          createdAt: now,
          periodStart: renewalPeriodStart(now, paid.lastPaymentAt),
        },
      });
      return {
        row,
        audit: {
          action: "product.attach",
          organizationId: team.organizationId,
          details: { productId: product.id, productName: product.name },
        },
      };
    },
    // An active product ends expiry: access comes back now, not at the next sweep.
    liftExpiredIfPaid,
  );
}

/**
 * products.detach: the ACTIVE (or LAPSED: it would renew with the next payment) row is
 * CANCELLED; a team left unpaid may be expired now.
 */
export function detachProduct(ctx: Context, input: TeamProductChange) {
  return changeTeamProduct(
    ctx,
    input,
    async (tx) => {
      const active = await tx.teamProduct.findFirst({
        where: {
          teamId: input.teamId,
          productId: input.productId,
          status: { in: ["ACTIVE", "LAPSED"] },
        },
        orderBy: { createdAt: "desc" },
        include: { team: { select: { organizationId: true } } },
      });
      if (!active) throw notFound("Active product on this team");
      const row = await tx.teamProduct.update({
        where: { id: active.id },
        data: { status: "CANCELLED", cancelledAt: ctx.clock.now() },
      });
      return {
        row,
        audit: {
          action: "product.detach",
          organizationId: active.team.organizationId,
          details: { productId: input.productId },
        },
      };
    },
    // Its last product gone, a team long unpaid is expired now (the sweep only watches
    // teams crossing the cutoff over time).
    blockIfExpired,
  );
}
