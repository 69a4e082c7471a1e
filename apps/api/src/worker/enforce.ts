/**
 * The worker's expiry sweep: every `intervalMs`, first lapses the products whose renewal
 * period plus the expiry grace has passed (db lapseProducts: LAPSED, entitlement re-pushed,
 * the team's expiry rule applied), then blocks (reason `expired`) each team core's
 * rule says is expired for more than the extra grace (the teams that crossed the cutoff
 * since the last round; a full pass, lifts included, the first time and after a change of
 * grace); the proxy calls go through the job queue (db sweepExpiredTeams). Payments,
 * products and billing changes add and lift the reason at once in the API. Every worker
 * runs the schedule; the sweep's row lock lets only one sweep at a time (others skip).
 * Last, spend history older than the retention (GATEHOUSE_SPEND_RETENTION_DAYS) is pruned
 * in batches (db pruneSpendHistory), the only place it is deleted.
 */
import { spendRetentionHorizon } from "@gatehouse/core";
import { lapseProducts, pruneSpendHistory, sweepExpiredTeams, type Database } from "@gatehouse/db";
import type { Logger } from "../logger.ts";

const PRUNE_BATCH = 5_000;

export interface EnforceScheduler {
  stop(): Promise<void>;
  /** Sweeps now (tests, and the first round shortly after start). */
  tick(): Promise<void>;
}

export function startEnforceScheduler(
  deps: { db: Database; logger: Logger; onQueued: () => void; now?: () => Date },
  options: {
    intervalMs: number;
    expiryGraceDays: number;
    extraGraceDays: number;
    spendRetentionDays?: number;
  },
): EnforceScheduler {
  const log = deps.logger.child({ task: "enforce" });
  const now = deps.now ?? (() => new Date());
  let running = true;
  let current: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;

  async function lapse(): Promise<void> {
    for (let i = 0; i < 100 && running; i++) {
      const result = await lapseProducts(deps.db.pool, {
        now: now(),
        expiryGraceDays: options.expiryGraceDays,
        extraGraceDays: options.extraGraceDays,
      });
      if (result.lapsed > 0) {
        log.info({ lapsed: result.lapsed, blocked: result.blocked }, "products lapsed");
        deps.onQueued();
      }
      if (!result.more) return;
    }
  }

  async function prune(): Promise<void> {
    if (options.spendRetentionDays === undefined) return;
    const beforeDay = spendRetentionHorizon(now(), options.spendRetentionDays);
    let pruned = 0;
    // Short transactions: a backlog (retention shortened, or a first run) goes a batch at a time.
    for (let i = 0; i < 1_000 && running; i++) {
      const n = await pruneSpendHistory(deps.db, { beforeDay, batch: PRUNE_BATCH });
      pruned += n;
      if (n < PRUNE_BATCH) break;
    }
    if (pruned > 0) log.info({ pruned, beforeDay }, "spend history pruned");
  }

  async function round(): Promise<void> {
    await lapse();
    await sweep();
    await prune();
  }

  async function sweep(): Promise<void> {
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
