/**
 * The worker's periodic reconciliation: every active region whose last reconciliation is
 * older than the interval (or that never had one) is reconciled, report only (repairs are
 * an admin's decision). Due regions are found from the database, so the schedule survives
 * restarts and is shared by every worker; the region's lease makes sure only one of them
 * reconciles a region at a time (the others skip it).
 */
import type { Database } from "@gatehouse/db";
import type { RegionClients } from "../litellm/region-clients.ts";
import type { Logger } from "../logger.ts";
import { ReconcileBusyError, reconcileRegion } from "./run.ts";

export interface ReconcileScheduler {
  /** Stops scheduling and waits for a reconciliation in progress. */
  stop(): Promise<void>;
  /** Runs one round now (tests, and the first round at start). */
  tick(): Promise<void>;
}

export function startReconcileScheduler(
  deps: { db: Database; logger: Logger; regions: RegionClients; holder: string },
  options: { intervalMs: number },
): ReconcileScheduler {
  const { db, logger, regions, holder } = deps;
  const log = logger.child({ task: "reconcile" });
  let running = true;
  let current: Promise<void> = Promise.resolve();
  // Check for due regions often enough that a region is at most a few minutes late.
  const checkEveryMs = Math.max(1_000, Math.min(options.intervalMs, 60_000));

  async function round(): Promise<void> {
    const { rows } = await db.pool.query<{ id: string; name: string }>(
      `SELECT r.id::text, r.name FROM regions r
         LEFT JOIN region_reconciliations c ON c.region_id = r.id
        WHERE r.is_active
          AND (c.finished_at IS NULL OR c.finished_at < now() - make_interval(secs => $1::double precision / 1000))
          AND (c.running_until IS NULL OR c.running_until < now())
        ORDER BY c.finished_at NULLS FIRST`,
      [options.intervalMs],
    );
    for (const region of rows) {
      if (!running) return;
      try {
        const client = await regions.get(region.id);
        const outcome = await reconcileRegion({
          db,
          client,
          region,
          holder,
          repair: false,
          unlessFinishedWithinMs: options.intervalMs,
        });
        log.info(
          { region: region.name, differences: outcome.differenceCount },
          "region reconciled",
        );
      } catch (error) {
        if (error instanceof ReconcileBusyError) continue;
        // Recorded as the region's last outcome ("failed"); the next round tries again.
        log.warn({ err: error, region: region.name }, "region reconciliation failed");
      }
    }
  }

  function tick(): Promise<void> {
    current = current
      .then(round)
      .catch((error: unknown) => log.error({ err: error }, "reconcile round failed"));
    return current;
  }

  const timer = options.intervalMs > 0 ? setInterval(() => void tick(), checkEveryMs) : null;
  timer?.unref();
  if (options.intervalMs > 0) void tick();

  return {
    tick,
    async stop() {
      running = false;
      if (timer) clearInterval(timer);
      await current;
    },
  };
}
