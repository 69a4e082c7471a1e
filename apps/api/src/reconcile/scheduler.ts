/**
 * The worker's periodic reconciliation: every active region whose last reconciliation is
 * older than the interval (or that never had one) is reconciled, report only (repairs are
 * an admin's decision), on the per-region scheduler (worker/region-scheduler.ts); the
 * region's lease (region_reconciliations) makes sure only one worker reconciles a region
 * at a time. A failure is recorded as the region's last outcome ("failed").
 */
import {
  startRegionScheduler,
  type RegionScheduler,
  type RegionSchedulerDeps,
} from "../worker/region-scheduler.ts";
import type { TProductLimits } from "@gatehouse/core";
import { ReconcileBusyError, reconcileRegion } from "./run.ts";

export type ReconcileScheduler = RegionScheduler;

export function startReconcileScheduler(
  deps: RegionSchedulerDeps,
  options: { intervalMs: number; defaultEntitlement?: TProductLimits },
): ReconcileScheduler {
  return startRegionScheduler(
    deps,
    {
      name: "reconcile",
      leaseTable: "region_reconciliations",
      run: async ({ client, region }) => {
        const outcome = await reconcileRegion({
          db: deps.db,
          client,
          region,
          holder: deps.holder,
          repair: false,
          unlessFinishedWithinMs: options.intervalMs,
          ...(options.defaultEntitlement ? { defaultEntitlement: options.defaultEntitlement } : {}),
        });
        return { differences: outcome.differenceCount };
      },
      isBusy: (error) => error instanceof ReconcileBusyError,
      messages: {
        done: "region reconciled",
        failed: "region reconciliation failed",
        roundFailed: "reconcile round failed",
      },
    },
    options,
  );
}
