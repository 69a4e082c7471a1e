import { findProductIdByName, insertProduct } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { adminProcedure } from "../../trpc/init.ts";
import { createWithUniqueName } from "../unique-name.ts";
import { ZProductsCreateInput, ZProductsCreateOutput } from "./create.schema.ts";
import { toProduct } from "./shared.ts";

export const create = adminProcedure
  .input(ZProductsCreateInput)
  .output(ZProductsCreateOutput)
  .mutation(({ ctx, input }) =>
    createWithUniqueName(ctx, input.name, findProductIdByName, "A product", async (tx) => {
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
