/**
 * products.update once authorized: in one transaction, under the product's lock, the change
 * (names stay unique), its audit event and, when the limits changed, the entitlement push
 * to every team holding it on every region.
 */
import { normalizeLegacyLimits, notFound } from "@gatehouse/core";
import {
  enqueueForEach,
  findProductIdByName,
  lockProduct,
  transaction,
  updateProductFields,
  type Product,
} from "@gatehouse/db";
import type { z } from "zod";
import { writeAudit } from "../../audit/write.ts";
import type { Context } from "../../context.ts";
import type { ZProductsUpdateInput } from "../../routers/products/update.schema.ts";
import { refuseTakenName } from "../../routers/unique-name.ts";

export type UpdateProductInput = z.infer<typeof ZProductsUpdateInput>;

export function updateProduct(ctx: Context, input: UpdateProductInput): Promise<Product> {
  return transaction(ctx.db, async (tx) => {
    const before = await lockProduct(tx, input.productId);
    if (!before) throw notFound("Product", { field: "productId" });
    if (input.name !== undefined && input.name !== before.name)
      await refuseTakenName(tx, input.name, findProductIdByName, "A product");
    const updated = await updateProductFields(tx, input.productId, {
      name: input.name,
      isActive: input.isActive,
      limits: input.limits,
    });
    const limitsChanged =
      input.limits !== undefined &&
      JSON.stringify(normalizeLegacyLimits(before.limits)) !== JSON.stringify(input.limits);
    let teams = 0;
    if (limitsChanged) {
      // Every team holding it, on every region: one set-based insert however many.
      teams = await enqueueForEach(tx, "litellm.pushEntitlement", { productId: input.productId });
    }
    await writeAudit(tx, ctx, {
      action: "product.update",
      targetType: "product",
      targetId: updated.id,
      details: {
        before: { name: before.name, limits: normalizeLegacyLimits(before.limits) },
        changed: Object.keys(input).filter((k) => k !== "productId"),
        ...(input.limits !== undefined ? { limits: input.limits } : {}),
        pushJobs: teams,
      },
    });
    return updated;
  });
}
