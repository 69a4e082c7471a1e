import { adminProcedure } from "../../trpc/init.ts";
import { attachProduct } from "../../workflows/products/attach.ts";
import { ZProductsAttachInput, ZProductsAttachOutput } from "./attach.schema.ts";

export const attach = adminProcedure
  .input(ZProductsAttachInput)
  .output(ZProductsAttachOutput)
  .mutation(({ ctx, input }) => attachProduct(ctx, input));
