import { listRegions } from "@gatehouse/db";
import { authedProcedure } from "../../trpc/init.ts";
import { toIsoOrNull } from "../shared.schema.ts";
import { ZRegionsListOutput } from "./list.schema.ts";
import { toRegion } from "./shared.ts";

/**
 * Everyone signed in may pick a region for a key; only admins see base URLs, inactive
 * regions and the last reconciliation (time and number of differences; null for others).
 */
export const list = authedProcedure.output(ZRegionsListOutput).query(async ({ ctx }) => {
  const admin = ctx.actor.isSystemAdmin;
  const regions = await listRegions(ctx.db, { all: admin });
  return regions.map(({ reconciliation: rec, ...r }) => ({
    ...toRegion(r),
    litellmBaseUrl: admin ? r.litellmBaseUrl : null,
    lastReconciledAt: admin ? toIsoOrNull(rec?.finishedAt ?? null) : null,
    differenceCount: admin && rec?.outcome === "ok" ? rec.differenceCount : null,
  }));
});
