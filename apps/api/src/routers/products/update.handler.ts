import { adminProcedure } from "../../trpc/init.ts";
import { updateProduct } from "../../workflows/products/update.ts";
import { ZProductsUpdateInput, ZProductsUpdateOutput } from "./update.schema.ts";
import { toProduct } from "./shared.ts";

export const update = adminProcedure
  .input(ZProductsUpdateInput)
  .output(ZProductsUpdateOutput)
  .mutation(async ({ ctx, input }) => {
    const product = await updateProduct(ctx, input);
    return toProduct(product);
  });
