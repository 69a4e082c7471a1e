/**
 * The worker's periodic spend sync (GATEHOUSE_SPEND_SYNC_INTERVAL_MS): every active region
 * whose last sync is older than the interval is read, one region at a time, on the
 * per-region scheduler (worker/region-scheduler.ts); the region's lease
 * (region_spend_syncs) keeps one reader per region. A failed sync is recorded as the
 * region's last outcome; its readings keep their values and as_of.
 */
import {
  startRegionScheduler,
  type RegionScheduler,
  type RegionSchedulerDeps,
} from "../worker/region-scheduler.ts";
import { SpendSyncBusyError, syncRegionSpend } from "./sync.ts";

export type SpendScheduler = RegionScheduler;

export function startSpendScheduler(
  deps: RegionSchedulerDeps,
  options: { intervalMs: number },
): SpendScheduler {
  return startRegionScheduler(
    deps,
    {
      name: "spend-sync",
      leaseTable: "region_spend_syncs",
      run: async ({ client, region }) => {
        const outcome = await syncRegionSpend({
          db: deps.db,
          client,
          region,
          holder: deps.holder,
          unlessFinishedWithinMs: options.intervalMs,
        });
        return { teams: outcome.teamsWritten, keys: outcome.keysWritten };
      },
      isBusy: (error) => error instanceof SpendSyncBusyError,
      messages: {
        done: "region spend synced",
        failed: "region spend sync failed",
        roundFailed: "spend sync round failed",
      },
    },
    options,
  );
}
