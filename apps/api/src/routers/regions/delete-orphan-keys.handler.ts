/**
 * regions.deleteOrphanKeys (system admins): queue the deletion of orphan keys on a region's
 * proxy, the ones named or every one a scan finds (workflows/regions/delete-orphans.ts).
 */
import { regionClientsFor } from "../../litellm/region-clients.ts";
import { openingKeys } from "../../secrets.ts";
import { adminProcedure } from "../../trpc/init.ts";
import { deleteOrphans } from "../../workflows/regions/delete-orphans.ts";
import { ZDeleteOrphanKeysInput, ZDeleteOrphanKeysOutput } from "./delete-orphan-keys.schema.ts";
import { holderOf, loadRegion, mapFailure } from "./reconcile-shared.ts";

export const deleteOrphanKeys = adminProcedure
  .input(ZDeleteOrphanKeysInput)
  .output(ZDeleteOrphanKeysOutput)
  .mutation(async ({ ctx, input }) => {
    const region = await loadRegion(ctx, input.regionId);
    const client = await regionClientsFor(ctx.db, openingKeys(ctx.config)).get(region.id);
    let result;
    try {
      result = await deleteOrphans(ctx, {
        region,
        client,
        holder: holderOf(ctx),
        keyTokens: input.keyTokens,
      });
    } catch (error) {
      mapFailure(error, region.name);
    }
    return result;
  });
