/**
 * regions.deleteOrphanKeys (system admins): queue the deletion of orphan keys on a region's
 * proxy, the ones named or every one a scan finds (workflows/regions/delete-orphans.ts).
 */
import { adminProcedure } from "../../trpc/init.ts";
import { deleteOrphans } from "../../workflows/regions/delete-orphans.ts";
import { ZDeleteOrphanKeysInput, ZDeleteOrphanKeysOutput } from "./delete-orphan-keys.schema.ts";
import { holderOf, onRegionProxy } from "./reconcile-shared.ts";

export const deleteOrphanKeys = adminProcedure
  .input(ZDeleteOrphanKeysInput)
  .output(ZDeleteOrphanKeysOutput)
  .mutation(({ ctx, input }) =>
    onRegionProxy(ctx, input.regionId, (region, client) =>
      deleteOrphans(ctx, { region, client, holder: holderOf(ctx), keyTokens: input.keyTokens }),
    ),
  );
