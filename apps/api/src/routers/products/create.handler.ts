import { conflict } from "@gatehouse/core";
import { findProductIdByName, insertProduct, transaction } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { adminProcedure } from "../../trpc/init.ts";
import { ZProductsCreateInput, ZProductsCreateOutput } from "./create.schema.ts";
import { toProduct } from "./shared.ts";

export const create = adminProcedure
  .input(ZProductsCreateInput)
  .output(ZProductsCreateOutput)
  .mutation(({ ctx, input }) =>
    transaction(ctx.db, async (tx) => {
      if (await findProductIdByName(tx, input.name))
        throw conflict("A product with this name already exists", { field: "name" });
      const product = await insertProduct(tx, { ...input, createdAt: ctx.clock.now() });
      await writeAudit(tx, ctx, {
        action: "product.create",
        targetType: "product",
        targetId: product.id,
        details: { name: product.name, limits: input.limits },
      });
      return toProduct(product);
    }),
  );
