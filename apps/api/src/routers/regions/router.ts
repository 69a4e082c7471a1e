/**
 * regions.create / list / update. A region's LiteLLM master key is write-only: it is
 * stored for the worker and never selected into any procedure's output.
 */
import { conflict, notFound, ZLitellmBaseUrl, ZLitellmMasterKey, ZRegionName } from "@gatehouse/core";
import { enqueueKeyBlockJobs, enqueueTeamSyncJobs, wakeRegionJobs } from "@gatehouse/db";
import { z } from "zod";
import { writeAudit } from "../../audit/write.ts";
import { adminProcedure, authedProcedure, router } from "../../trpc/init.ts";
import { toIso, toIsoOrNull, ZDateTime, ZId } from "../shared.schema.ts";
import { deleteOrphanKeys, reconcile, reconcileStatus } from "./reconcile.ts";

const ZBaseUrl = ZLitellmBaseUrl;
const ZMasterKey = ZLitellmMasterKey;

const ZRegion = z.object({
  id: ZId,
  name: z.string(),
  litellmBaseUrl: z.string(),
  isActive: z.boolean(),
  createdAt: ZDateTime,
});

/** The only columns of a region a procedure may read for output. */
export const regionPublicSelect = {
  id: true,
  name: true,
  litellmBaseUrl: true,
  isActive: true,
  createdAt: true,
} as const;

type RegionRow = { id: string; name: string; litellmBaseUrl: string; isActive: boolean; createdAt: Date };
const toRegion = (r: RegionRow): z.infer<typeof ZRegion> => ({ ...r, createdAt: toIso(r.createdAt) });

const create = adminProcedure
  .input(z.strictObject({ name: ZRegionName, litellmBaseUrl: ZBaseUrl, litellmMasterKey: ZMasterKey, isActive: z.boolean().default(true) }))
  .output(ZRegion)
  .mutation(({ ctx, input }) =>
    ctx.db.prisma.$transaction(async (tx) => {
      const taken = await tx.region.findUnique({ where: { name: input.name }, select: { id: true } });
      if (taken) throw conflict("A region with this name already exists", { field: "name" });
      const region = await tx.region.create({
        data: { ...input, litellmBaseUrl: input.litellmBaseUrl.replace(/\/+$/, ""), createdAt: ctx.clock.now() },
        select: regionPublicSelect,
      });
      await writeAudit(tx, ctx, {
        action: "region.create",
        targetType: "region",
        targetId: region.id,
        details: { name: region.name, litellmBaseUrl: region.litellmBaseUrl, isActive: region.isActive },
      });
      return toRegion(region);
    }),
  );

/**
 * Everyone signed in may pick a region for a key; only admins see base URLs, inactive
 * regions and the last reconciliation (time and number of differences; null for others).
 */
const list = authedProcedure
  .output(
    z.array(
      ZRegion.extend({
        litellmBaseUrl: z.string().nullable(),
        lastReconciledAt: ZDateTime.nullable(),
        differenceCount: z.number().int().nullable(),
      }),
    ),
  )
  .query(async ({ ctx }) => {
    const admin = ctx.actor.isSystemAdmin;
    const regions = await ctx.db.prisma.region.findMany({
      where: admin ? {} : { isActive: true },
      select: { ...regionPublicSelect, reconciliation: { select: { finishedAt: true, outcome: true, differenceCount: true } } },
      orderBy: { name: "asc" },
    });
    return regions.map(({ reconciliation: rec, ...r }) => ({
      ...toRegion(r),
      litellmBaseUrl: admin ? r.litellmBaseUrl : null,
      lastReconciledAt: admin ? toIsoOrNull(rec?.finishedAt ?? null) : null,
      differenceCount: admin && rec?.outcome === "ok" ? rec.differenceCount : null,
    }));
  });

const update = adminProcedure
  .input(
    z.strictObject({
      regionId: ZId,
      name: ZRegionName.optional(),
      litellmBaseUrl: ZBaseUrl.optional(),
      litellmMasterKey: ZMasterKey.optional(),
      isActive: z.boolean().optional(),
    }),
  )
  .output(ZRegion)
  .mutation(async ({ ctx, input }) => {
    const result = await ctx.db.prisma.$transaction(async (tx) => {
      const before = await tx.region.findUnique({ where: { id: input.regionId }, select: regionPublicSelect });
      if (!before) throw notFound("Region");
      if (input.name && input.name !== before.name) {
        // A key's LiteLLM team id embeds the region name; renaming would strand every
        // team already created on that proxy.
        const keys = await tx.apiKey.count({ where: { regionId: input.regionId } });
        if (keys > 0) throw conflict("A region with keys cannot be renamed: its LiteLLM team ids use the name");
        const taken = await tx.region.findUnique({ where: { name: input.name }, select: { id: true } });
        if (taken) throw conflict("A region with this name already exists", { field: "name" });
      }
      const region = await tx.region.update({
        where: { id: input.regionId },
        data: {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.litellmBaseUrl !== undefined ? { litellmBaseUrl: input.litellmBaseUrl.replace(/\/+$/, "") } : {}),
          ...(input.litellmMasterKey !== undefined ? { litellmMasterKey: input.litellmMasterKey } : {}),
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
        const teams = `SELECT team_id FROM api_keys WHERE region_id = $1::uuid`;
        resynced = await enqueueTeamSyncJobs(tx, "litellm.pushEntitlement", teams, [region.id], region.id);
        await enqueueTeamSyncJobs(tx, "litellm.syncTeamBlock", teams, [region.id], region.id);
        await enqueueKeyBlockJobs(
          tx,
          `SELECT b.api_key_id FROM api_key_blocks b JOIN api_keys k ON k.id = b.api_key_id WHERE k.region_id = $1::uuid`,
          [region.id],
        );
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

export const regionsRouter = router({ create, list, update, reconcile, reconcileStatus, deleteOrphanKeys });
