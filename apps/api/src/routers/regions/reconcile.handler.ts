/**
 * regions.reconcile (system admins): prove a region's proxy is in step with Gatehouse and,
 * on request, queue the repairs. The work itself is in src/reconcile; this handler parses,
 * authorizes, runs and maps.
 */
import { repairProgress } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { reconcileRegion } from "../../reconcile/run.ts";
import { adminProcedure } from "../../trpc/init.ts";
import { holderOf, onRegionProxy } from "./reconcile-shared.ts";
import { ZReconcileInput, ZReconcileResult } from "./reconcile.schema.ts";

export const reconcile = adminProcedure
  .input(ZReconcileInput)
  .output(ZReconcileResult)
  .mutation(async ({ ctx, input }) => {
    const outcome = await onRegionProxy(ctx, input.regionId, (region, client) =>
      reconcileRegion({
        db: ctx.db,
        client,
        region,
        holder: holderOf(ctx),
        repair: input.repair,
        examplesPerKind: input.examplesPerKind,
        defaultEntitlement: ctx.config.defaultEntitlement,
        // Audited when it starts, with the group key its repair jobs will carry.
        onStart: (tx, repairGroupKey) =>
          writeAudit(tx, ctx, {
            action: "region.reconcile",
            targetType: "region",
            targetId: region.id,
            details: { repair: input.repair, repairGroupKey },
          }),
        ...(ctx.jobs ? { nudge: () => ctx.jobs?.nudge() } : {}),
      }),
    );
    return {
      regionId: input.regionId,
      inStep: outcome.differenceCount === 0,
      differenceCount: outcome.differenceCount,
      report: outcome.report,
      finishedAt: outcome.finishedAt.toISOString(),
      repair: outcome.repairGroupKey
        ? {
            queued: outcome.repairQueued,
            progress: await repairProgress(ctx.db, outcome.repairGroupKey),
          }
        : null,
    };
  });
