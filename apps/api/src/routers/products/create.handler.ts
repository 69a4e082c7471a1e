import { conflict } from "@gatehouse/core";
import { writeAudit } from "../../audit/write.ts";
import { adminProcedure } from "../../trpc/init.ts";
import { ZProductsCreateInput } from "./create.schema.ts";
import { ZProduct } from "./shared.schema.ts";
import { toProduct } from "./shared.ts";

export const create = adminProcedure
  .input(ZProductsCreateInput)
  .output(ZProduct)
  .mutation(({ ctx, input }) =>
    ctx.db.prisma.$transaction(async (tx) => {
      const taken = await tx.product.findUnique({
        where: { name: input.name },
        select: { id: true },
      });
      if (taken) throw conflict("A product with this name already exists", { field: "name" });
      const product = await tx.product.create({ data: { ...input, createdAt: ctx.clock.now() } });
      await writeAudit(tx, ctx, {
        action: "product.create",
        targetType: "product",
        targetId: product.id,
        details: { name: product.name, limits: input.limits },
      });
      return toProduct(product);
    }),
  );
