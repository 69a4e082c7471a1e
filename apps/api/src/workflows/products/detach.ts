/**
 * products.detach: the ACTIVE (or LAPSED: it would renew with the next payment) row is
 * CANCELLED; a team left unpaid may be expired now.
 */
import { notFound } from "@gatehouse/core";
import { blockIfExpired, cancelTeamProduct, findDetachableTeamProduct } from "@gatehouse/db";
import type { Context } from "../../context.ts";
import { changeTeamProduct, type TeamProductChange } from "./team-product.ts";

export function detachProduct(ctx: Context, input: TeamProductChange) {
  return changeTeamProduct(
    ctx,
    input,
    async (tx) => {
      const active = await findDetachableTeamProduct(tx, input.teamId, input.productId);
      if (!active) throw notFound("Active product on this team");
      const row = await cancelTeamProduct(tx, active.id, ctx.clock.now());
      return {
        row,
        audit: {
          action: "product.detach",
          organizationId: active.organizationId,
          details: { productId: input.productId },
        },
      };
    },
    // Its last product gone, a team long unpaid is expired now (the sweep only watches
    // teams crossing the cutoff over time).
    blockIfExpired,
  );
}
