/** regions.reconcileStatus (system admins): the region's last reconciliation and its repair's progress. */
import type { ReconcileReport } from "@gatehouse/core";
import { lastReconciliation, repairProgress } from "@gatehouse/db";
import { adminProcedure } from "../../trpc/init.ts";
import { toIsoOrNull } from "../shared.schema.ts";
import { ZReconcileReport } from "./reconcile-report.schema.ts";
import { loadRegion } from "./reconcile-shared.ts";
import { ZReconcileStatusInput, ZReconcileStatusOutput } from "./reconcile-status.schema.ts";

export const reconcileStatus = adminProcedure
  .input(ZReconcileStatusInput)
  .output(ZReconcileStatusOutput)
  .query(async ({ ctx, input }) => {
    await loadRegion(ctx, input.regionId);
    const row = await lastReconciliation(ctx.db, input.regionId);
    const now = ctx.clock.now();
    const outcome = row?.outcome === "ok" || row?.outcome === "failed" ? row.outcome : null;
    return {
      regionId: input.regionId,
      running: Boolean(row?.runningBy && row.runningUntil && row.runningUntil > now),
      lastReconciledAt: toIsoOrNull(row?.finishedAt ?? null),
      outcome,
      error: row?.error ?? null,
      differenceCount: outcome === "ok" ? row!.differenceCount : null,
      report:
        outcome === "ok" ? (ZReconcileReport.parse(row!.report) satisfies ReconcileReport) : null,
      repair: row?.repairGroupKey ? await repairProgress(ctx.db, row.repairGroupKey) : null,
    };
  });
