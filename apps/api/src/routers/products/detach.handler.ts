import { adminProcedure } from "../../trpc/init.ts";
import { detachProduct } from "../../workflows/products/detach.ts";
import { ZProductsDetachInput, ZProductsDetachOutput } from "./detach.schema.ts";

export const detach = adminProcedure
  .input(ZProductsDetachInput)
  .output(ZProductsDetachOutput)
  .mutation(({ ctx, input }) => detachProduct(ctx, input));
