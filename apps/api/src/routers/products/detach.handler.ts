import { adminProcedure } from "../../trpc/init.ts";
import { detachProduct } from "../../workflows/team-product.ts";
import { ZAttachInput, ZTeamProduct } from "./shared.schema.ts";

export const detach = adminProcedure
  .input(ZAttachInput)
  .output(ZTeamProduct)
  .mutation(({ ctx, input }) => detachProduct(ctx, input));
