/**
 * The worker's periodic spend sync (GATEHOUSE_SPEND_SYNC_INTERVAL_MS): every active region
 * whose last sync is older than the interval is read, one region at a time. Due regions come
 * from the database, so the schedule survives restarts and is shared by every worker; the
 * region's lease (region_spend_syncs) keeps one reader per region. Modelled on
 * reconcile/scheduler.ts.
 */
import type { Database } from "@gatehouse/db";
import type { RegionClients } from "../litellm/region-clients.ts";
import type { Logger } from "../logger.ts";
import { SpendSyncBusyError, syncRegionSpend } from "./sync.ts";

export interface SpendScheduler {
  /** Stops scheduling and waits for a sync in progress. */
  stop(): Promise<void>;
  /** Runs one round now (tests, and the first round at start). */
  tick(): Promise<void>;
}

export function startSpendScheduler(
  deps: { db: Database; logger: Logger; regions: RegionClients; holder: string },
  options: { intervalMs: number },
): SpendScheduler {
  const { db, logger, regions, holder } = deps;
  const log = logger.child({ task: "spend-sync" });
  let running = true;
  let current: Promise<void> = Promise.resolve();
  const checkEveryMs = Math.max(1_000, Math.min(options.intervalMs, 60_000));

  async function round(): Promise<void> {
    const { rows } = await db.pool.query<{ id: string; name: string }>(
      `SELECT r.id::text, r.name FROM regions r
         LEFT JOIN region_spend_syncs s ON s.region_id = r.id
        WHERE r.is_active
          AND (s.finished_at IS NULL OR s.finished_at < now() - make_interval(secs => $1::double precision / 1000))
          AND (s.running_until IS NULL OR s.running_until < now())
        ORDER BY s.finished_at NULLS FIRST`,
      [options.intervalMs],
    );
    for (const region of rows) {
      if (!running) return;
      try {
        const client = await regions.get(region.id);
        const outcome = await syncRegionSpend({
          db,
          client,
          region,
          holder,
          unlessFinishedWithinMs: options.intervalMs,
        });
        log.info(
          { region: region.name, teams: outcome.teamsWritten, keys: outcome.keysWritten },
          "region spend synced",
        );
      } catch (error) {
        if (error instanceof SpendSyncBusyError) continue;
        // Recorded as the region's last outcome; its readings keep their values and as_of.
        log.warn({ err: error, region: region.name }, "region spend sync failed");
      }
    }
  }

  function tick(): Promise<void> {
    current = current
      .then(round)
      .catch((error: unknown) => log.error({ err: error }, "spend sync round failed"));
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
