/**
 * The worker's expiry sweep: every `intervalMs`, blocks (reason `expired`) each team core's
 * rule says is expired for more than the extra grace (the teams that crossed the cutoff
 * since the last round; a full pass, lifts included, the first time and after a change of
 * grace); the proxy calls go through the job queue (db sweepExpiredTeams). Payments,
 * products and billing changes add and lift the reason at once in the API. Every worker
 * runs the schedule; the sweep's row lock lets only one sweep at a time (others skip).
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
      if (result.blocked + result.unblocked > 0) {
        log.info(
          { blocked: result.blocked, unblocked: result.unblocked, full: result.full },
          "expiry sweep",
        );
        deps.onQueued();
      }
      if (!result.more) return;
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
