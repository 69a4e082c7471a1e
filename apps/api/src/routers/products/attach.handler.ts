import { adminProcedure } from "../../trpc/init.ts";
import { attachProduct } from "../../workflows/team-product.ts";
import { ZAttachInput, ZTeamProduct } from "./shared.schema.ts";

export const attach = adminProcedure
  .input(ZAttachInput)
  .output(ZTeamProduct)
  .mutation(({ ctx, input }) => attachProduct(ctx, input));
