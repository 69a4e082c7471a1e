/**
 * The worker's expiry sweep: every `intervalMs`, blocks (reason `expired`) each team core's
 * rule says is expired for more than the extra grace, and lifts that reason where a
 * payment, a product or always-free ended it; the proxy calls go through the job queue
 * (db sweepExpiredTeams). Every worker runs the schedule; an advisory lock lets only one
 * sweep at a time (the others skip that round).
 */
import { sweepExpiredTeams, type Database } from "@gatehouse/db";
import type { Logger } from "../logger.ts";

export interface EnforceScheduler {
  stop(): Promise<void>;
  /** Sweeps now (tests, and the first round shortly after start). */
  tick(): Promise<void>;
}

export function startEnforceScheduler(
  deps: { db: Database; logger: Logger; onQueued: () => void; now?: () => Date },
  options: { intervalMs: number; expiryGraceDays: number; extraGraceDays: number },
): EnforceScheduler {
  const log = deps.logger.child({ task: "enforce" });
  const now = deps.now ?? (() => new Date());
  let running = true;
  let current: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;

  async function round(): Promise<void> {
    // Bounded batches: a backlog (first run on a big database) drains over a few rounds
    // in the same tick rather than in one huge transaction.
    for (let i = 0; i < 100 && running; i++) {
      const result = await sweepExpiredTeams(deps.db.pool, {
        now: now(),
        expiryGraceDays: options.expiryGraceDays,
        extraGraceDays: options.extraGraceDays,
      });
      if (!result.ran) return;
      if (result.blocked + result.unblocked === 0) return;
      log.info({ blocked: result.blocked, unblocked: result.unblocked }, "expiry sweep");
      deps.onQueued();
    }
  }

  const tick = (): Promise<void> => {
    current = current.then(() =>
      round().catch((error: unknown) => {
        log.warn({ err: error }, "expiry sweep failed; next round retries");
      }),
    );
    return current;
  };

  const schedule = (delay: number): void => {
    timer = setTimeout(() => {
      void tick().finally(() => {
        if (running) schedule(options.intervalMs);
      });
    }, delay);
    timer.unref();
  };
  schedule(Math.min(options.intervalMs, 5_000));

  return {
    tick,
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
