import { conflict, notFound } from "@gatehouse/core";
import { enqueueForEach, wakeRegionJobs } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { storedMasterKey } from "../../secrets.ts";
import { adminProcedure } from "../../trpc/init.ts";
import { ZRegionsUpdateInput } from "./update.schema.ts";
import { ZRegion } from "./shared.schema.ts";
import { regionPublicSelect, toRegion } from "./shared.ts";

export const update = adminProcedure
  .input(ZRegionsUpdateInput)
  .output(ZRegion)
  .mutation(async ({ ctx, input }) => {
    const result = await ctx.db.prisma.$transaction(async (tx) => {
      const before = await tx.region.findUnique({
        where: { id: input.regionId },
        select: regionPublicSelect,
      });
      if (!before) throw notFound("Region");
      if (input.name && input.name !== before.name) {
        // A key's LiteLLM team id embeds the region name; renaming would strand every
        // team already created on that proxy.
        const keys = await tx.apiKey.count({ where: { regionId: input.regionId } });
        if (keys > 0)
          throw conflict("A region with keys cannot be renamed: its LiteLLM team ids use the name");
        const taken = await tx.region.findUnique({
          where: { name: input.name },
          select: { id: true },
        });
        if (taken) throw conflict("A region with this name already exists", { field: "name" });
      }
      const region = await tx.region.update({
        where: { id: input.regionId },
        data: {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.litellmBaseUrl !== undefined
            ? { litellmBaseUrl: input.litellmBaseUrl.replace(/\/+$/, "") }
            : {}),
          ...(input.litellmMasterKey !== undefined
            ? {
                litellmMasterKey: storedMasterKey(
                  ctx.config.secretsKey,
                  input.regionId,
                  input.litellmMasterKey,
                ),
              }
            : {}),
          ...(input.isActive !== undefined ? { isActive: input.isActive } : {}),
        },
        select: regionPublicSelect,
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
      return toRegion(region);
    });
    ctx.jobs?.nudge();
    return result;
  });
