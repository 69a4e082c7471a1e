/**
 * regions.update once authorized: in one transaction, the change (a region with keys keeps
 * its name), its audit event and, when the region comes back or points at a new proxy, the
 * jobs that bring that proxy up to date.
 */
import { conflict, notFound } from "@gatehouse/core";
import {
  countRegionKeys,
  enqueueForEach,
  findRegion,
  findRegionIdByName,
  transaction,
  updateRegionFields,
  wakeRegionJobs,
  type RegionRecord,
} from "@gatehouse/db";
import type { z } from "zod";
import { writeAudit } from "../../audit/write.ts";
import type { Context } from "../../context.ts";
import type { ZRegionsUpdateInput } from "../../routers/regions/update.schema.ts";
import { refuseTakenName } from "../../routers/unique-name.ts";
import { storedMasterKey } from "../../secrets.ts";

export type UpdateRegionInput = z.infer<typeof ZRegionsUpdateInput>;

export function updateRegion(ctx: Context, input: UpdateRegionInput): Promise<RegionRecord> {
  return transaction(ctx.db, async (tx) => {
    const before = await findRegion(tx, input.regionId);
    if (!before) throw notFound("Region");
    if (input.name && input.name !== before.name) {
      // A key's LiteLLM team id embeds the region name; renaming would strand every
      // team already created on that proxy.
      const keys = await countRegionKeys(tx, input.regionId);
      if (keys > 0)
        throw conflict("A region with keys cannot be renamed: its LiteLLM team ids use the name");
      await refuseTakenName(tx, input.name, findRegionIdByName, "A region");
    }
    const region = await updateRegionFields(tx, input.regionId, {
      name: input.name,
      litellmBaseUrl: input.litellmBaseUrl?.replace(/\/+$/, ""),
      litellmMasterKey:
        input.litellmMasterKey !== undefined
          ? storedMasterKey(ctx.config.secretsKey, input.regionId, input.litellmMasterKey)
          : undefined,
      isActive: input.isActive,
    });
    const reactivated = !before.isActive && region.isActive;
    const woken = reactivated ? await wakeRegionJobs(tx, region.id) : 0;
    // Back (or a new proxy behind the region): its teams may have missed entitlement
    // and block changes made meanwhile, so every team with keys there gets its current
    // state, and every blocked key its block (set-based; handlers read the state).
    let resynced = 0;
    if (region.isActive && (reactivated || region.litellmBaseUrl !== before.litellmBaseUrl)) {
      const teams = { regionId: region.id };
      resynced = await enqueueForEach(tx, "litellm.pushEntitlement", teams);
      await enqueueForEach(tx, "litellm.syncTeamBlock", teams);
      await enqueueForEach(tx, "litellm.syncKeyBlock", { blockedInRegion: region.id });
    }
    await writeAudit(tx, ctx, {
      action: "region.update",
      targetType: "region",
      targetId: region.id,
      details: {
        changed: Object.keys(input).filter((k) => k !== "regionId"),
        ...(input.litellmMasterKey ? { masterKeyRotated: true } : {}),
        ...(woken ? { jobsWoken: woken } : {}),
        ...(resynced ? { teamsResynced: resynced } : {}),
      },
    });
    return region;
  });
}
