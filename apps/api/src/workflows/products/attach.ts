/** products.attach: a new ACTIVE row; an active product ends expiry at once. */
import { conflict, notFound, preconditionFailed, renewalPeriodStart } from "@gatehouse/core";
import {
  cancelLapsedTeamProducts,
  findProduct,
  hasActiveTeamProduct,
  insertTeamProduct,
  liftExpiredIfPaid,
  lockTeam,
  teamLastPaymentAt,
} from "@gatehouse/db";
import type { Context } from "../../context.ts";
import { changeTeamProduct, type TeamProductChange } from "./team-product.ts";

export function attachProduct(ctx: Context, input: TeamProductChange) {
  return changeTeamProduct(
    ctx,
    input,
    async (tx) => {
      // Lock the team: a merge checks "no active product" under the same lock.
      const team = await lockTeam(tx, input.teamId);
      if (!team) throw notFound("Team");
      const product = await findProduct(tx, input.productId);
      if (!product) throw notFound("Product");
      // A deactivated product is withdrawn from sale; teams holding it keep it.
      if (!product.isActive)
        throw preconditionFailed("This product is inactive and cannot be attached", {
          field: "productId",
        });
      if (await hasActiveTeamProduct(tx, input.teamId, input.productId))
        throw conflict("This product is already active on the team");
      const now = ctx.clock.now();
      // Attaching again starts a new subscription: a lapsed attachment of the same product
      // ends (CANCELLED) so a later payment cannot renew it beside the new one.
      await cancelLapsedTeamProducts(tx, input.teamId, input.productId, now);
      const lastPaymentAt = await teamLastPaymentAt(tx, input.teamId);
      const row = await insertTeamProduct(tx, {
        teamId: input.teamId,
        productId: input.productId,
        createdAt: now,
        periodStart: renewalPeriodStart(now, lastPaymentAt),
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
