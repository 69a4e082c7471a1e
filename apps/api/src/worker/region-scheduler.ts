/**
 * A periodic per-region task on a timer (the spend sync, the reconciliation): every active
 * region whose last run is older than the interval (or that never had one) gets a run, one
 * region at a time. Due regions come from the task's lease table, so the schedule survives
 * restarts and is shared by every worker; the region's lease keeps one runner per region
 * (a worker that finds it held skips the region).
 */
import { dueRegions, type Database, type RegionLeaseTable } from "@gatehouse/db";
import type { LiteLLMClient } from "@gatehouse/litellm";
import type { RegionClients } from "../litellm/region-clients.ts";
import type { Logger } from "../logger.ts";

export interface RegionScheduler {
  /** Stops scheduling and waits for a run in progress. */
  stop(): Promise<void>;
  /** Runs one round now (tests, and the first round at start). */
  tick(): Promise<void>;
}

export interface RegionSchedulerDeps {
  db: Database;
  logger: Logger;
  regions: RegionClients;
  holder: string;
}

export interface RegionTask {
  /** The logger's `task` field. */
  name: string;
  /** Where the task's per-region lease and last finish are kept. */
  leaseTable: RegionLeaseTable;
  /**
   * One region's run; resolves with the fields of its "done" log line. Throws the task's
   * busy error when another runner holds the region (skipped, see isBusy).
   */
  run(run: {
    client: LiteLLMClient;
    region: { id: string; name: string };
  }): Promise<Record<string, unknown>>;
  isBusy(error: unknown): boolean;
  messages: { done: string; failed: string; roundFailed: string };
}

export function startRegionScheduler(
  deps: RegionSchedulerDeps,
  task: RegionTask,
  options: { intervalMs: number },
): RegionScheduler {
  const { db, logger, regions } = deps;
  const log = logger.child({ task: task.name });
  let running = true;
  let current: Promise<void> = Promise.resolve();
  // Check for due regions often enough that a region is at most a few minutes late.
  const checkEveryMs = Math.max(1_000, Math.min(options.intervalMs, 60_000));

  async function round(): Promise<void> {
    const due = await dueRegions(db.pool, task.leaseTable, options.intervalMs);
    for (const region of due) {
      if (!running) return;
      try {
        const client = await regions.get(region.id);
        const fields = await task.run({ client, region });
        log.info({ region: region.name, ...fields }, task.messages.done);
      } catch (error) {
        if (task.isBusy(error)) continue;
        // Recorded by the task as the region's last outcome; the next round tries again.
        log.warn({ err: error, region: region.name }, task.messages.failed);
      }
    }
  }

  function tick(): Promise<void> {
    current = current
      .then(round)
      .catch((error: unknown) => log.error({ err: error }, task.messages.roundFailed));
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
