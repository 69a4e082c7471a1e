import { authedProcedure } from "../../trpc/init.ts";
import { toIsoOrNull } from "../shared.schema.ts";
import { ZRegionsListOutput } from "./list.schema.ts";
import { regionPublicSelect, toRegion } from "./shared.ts";

/**
 * Everyone signed in may pick a region for a key; only admins see base URLs, inactive
 * regions and the last reconciliation (time and number of differences; null for others).
 */
export const list = authedProcedure.output(ZRegionsListOutput).query(async ({ ctx }) => {
  const admin = ctx.actor.isSystemAdmin;
  const regions = await ctx.db.prisma.region.findMany({
    where: admin ? {} : { isActive: true },
    select: {
      ...regionPublicSelect,
      reconciliation: { select: { finishedAt: true, outcome: true, differenceCount: true } },
    },
    orderBy: { name: "asc" },
  });
  return regions.map(({ reconciliation: rec, ...r }) => ({
    ...toRegion(r),
    litellmBaseUrl: admin ? r.litellmBaseUrl : null,
    lastReconciledAt: admin ? toIsoOrNull(rec?.finishedAt ?? null) : null,
    differenceCount: admin && rec?.outcome === "ok" ? rec.differenceCount : null,
  }));
});
