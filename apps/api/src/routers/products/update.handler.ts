import { conflict, normalizeLegacyLimits, notFound } from "@gatehouse/core";
import { enqueueForEach, lockProduct } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { adminProcedure } from "../../trpc/init.ts";
import { ZProductsUpdateInput } from "./update.schema.ts";
import { ZProduct } from "./shared.schema.ts";
import { toProduct } from "./shared.ts";

export const update = adminProcedure
  .input(ZProductsUpdateInput)
  .output(ZProduct)
  .mutation(async ({ ctx, input }) => {
    const product = await ctx.db.prisma.$transaction(async (tx) => {
      const before = await lockProduct(tx, input.productId);
      if (!before) throw notFound("Product", { field: "productId" });
      if (input.name !== undefined && input.name !== before.name) {
        const taken = await tx.product.findUnique({
          where: { name: input.name },
          select: { id: true },
        });
        if (taken) throw conflict("A product with this name already exists", { field: "name" });
      }
      const updated = await tx.product.update({
        where: { id: input.productId },
        data: {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.isActive !== undefined ? { isActive: input.isActive } : {}),
          ...(input.limits !== undefined ? { limits: input.limits } : {}),
        },
      });
      const limitsChanged =
        input.limits !== undefined &&
        JSON.stringify(normalizeLegacyLimits(before.limits)) !== JSON.stringify(input.limits);
      let teams = 0;
      if (limitsChanged) {
        // Every team holding it, on every region: one set-based insert however many.
        teams = await enqueueForEach(tx, "litellm.pushEntitlement", {
          productId: input.productId,
        });
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
    ctx.jobs?.nudge();
    return toProduct(product);
  });
