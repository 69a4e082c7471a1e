import { adminProcedure } from "../../trpc/init.ts";
import { updateRegion } from "../../workflows/regions/update.ts";
import { ZRegionsUpdateInput, ZRegionsUpdateOutput } from "./update.schema.ts";
import { toRegion } from "./shared.ts";

export const update = adminProcedure
  .input(ZRegionsUpdateInput)
  .output(ZRegionsUpdateOutput)
  .mutation(async ({ ctx, input }) => {
    const region = await updateRegion(ctx, input);
    return toRegion(region);
  });
