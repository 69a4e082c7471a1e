/**
 * The worker's three schedules (see periodic.ts for how they run):
 * - spend sync (GATEHOUSE_SPEND_SYNC_INTERVAL_MS): every active region's spend is read, one
 *   region at a time; a failed sync is recorded as the region's last outcome and its
 *   readings keep their values and as_of;
 * - reconciliation (GATEHOUSE_RECONCILE_INTERVAL_MS): every active region is compared with
 *   its proxy, report only (repairs are an admin's decision); a failure is recorded as the
 *   region's last outcome;
 * - the expiry sweep (GATEHOUSE_ENFORCE_INTERVAL_MS): lapses products whose renewal period
 *   plus the expiry grace has passed (db lapseProducts), blocks (reason `expired`) the teams
 *   core's rule says are expired for more than the extra grace (db sweepExpiredTeams: the
 *   teams that crossed the cutoff since the last round; a full pass, lifts included, the
 *   first time and after a change of grace), the proxy calls going through the job queue;
 *   then raises the expiry warnings due (db evaluateExpiryWarnings) and the operations
 *   events (db evaluateOperationsAlerts: failing syncs, drift, a failing or late queue);
 *   last, prunes spend history older than GATEHOUSE_SPEND_RETENTION_DAYS in batches (db
 *   pruneSpendHistory, the only place it is deleted), and rate-limit rows no window or known
 *   place needs any more (db pruneRateLimitBuckets). Payments, products and billing
 *   changes add and lift `expired` at once in the API. The sweep also blocks keys past their
 *   own expiry (db sweepExpiredKeys, reason `key_expired`; keys.extend lifts it), queues the
 *   deletion of rotated keys' previous secrets whose overlap ended (db
 *   queueDueSecretRetirements) and rotates keys due under their policy (`rotateEveryDays`,
 *   workflows/keys/rotate.ts).
 */
import { spendRetentionHorizon, type TProductLimits } from "@gatehouse/core";
import {
  evaluateExpiryWarnings,
  evaluateOperationsAlerts,
  queueDueSecretRetirements,
  lapseProducts,
  pruneRateLimitBuckets,
  pruneSpendHistory,
  sweepExpiredKeys,
  sweepExpiredTeams,
  type Database,
} from "@gatehouse/db";
import type { RegionClients } from "../litellm/region-clients.ts";
import { reconcileRegion } from "../reconcile/run.ts";
import { syncRegionSpend } from "../spend/sync.ts";
import { rotateDueKeys, type ScheduledRotationDeps } from "../workflows/keys/rotate.ts";
import { regionSchedule, type Schedule } from "./periodic.ts";

export interface ScheduleDeps {
  db: Database;
  regions: RegionClients;
  /** The lease holder's name (the worker's). */
  holder: string;
}

export function spendSyncSchedule(deps: ScheduleDeps, intervalMs: number): Schedule {
  return regionSchedule(deps, {
    name: "spend-sync",
    leaseTable: "region_spend_syncs",
    intervalMs,
    run: async (run) => {
      const outcome = await syncRegionSpend(run);
      return {
        teams: outcome.teamsWritten,
        keys: outcome.keysWritten,
        ...(outcome.historyDaysFiled > 0 ? { historyDays: outcome.historyDaysFiled } : {}),
        ...(outcome.historyError !== null ? { historyError: outcome.historyError } : {}),
      };
    },
    messages: {
      done: "region spend synced",
      failed: "region spend sync failed",
      roundFailed: "spend sync round failed",
    },
  });
}

export function reconcileSchedule(
  deps: ScheduleDeps,
  intervalMs: number,
  defaultEntitlement: TProductLimits | undefined,
): Schedule {
  return regionSchedule(deps, {
    name: "reconcile",
    leaseTable: "region_reconciliations",
    intervalMs,
    run: async (run) => {
      const outcome = await reconcileRegion({
        ...run,
        repair: false,
        ...(defaultEntitlement ? { defaultEntitlement } : {}),
      });
      return { differences: outcome.differenceCount };
    },
    messages: {
      done: "region reconciled",
      failed: "region reconciliation failed",
      roundFailed: "reconcile round failed",
    },
  });
}

export interface ExpiryOptions {
  intervalMs: number;
  expiryGraceDays: number;
  extraGraceDays: number;
  /** Days of spend history kept; unset: never pruned. */
  spendRetentionDays?: number;
  /**
   * How long a rate-limit row can matter (the longest window, or a known place's life);
   * unset: never pruned.
   */
  rateLimitRetentionMs?: number;
  /**
   * The operations check (region.sync_failing, region.drift, jobs.failing) each round:
   * GATEHOUSE_ALERT_SYNC_FAILING_AFTER_MS, GATEHOUSE_ALERT_QUEUE_AGE_MS. Unset: not checked.
   */
  operations?: { syncFailingAfterMs: number; queueAgeMs: number };
  now?: () => Date;
}

const PRUNE_BATCH = 5_000;

/**
 * Runs a batched delete until a batch comes back short: a backlog (a retention shortened,
 * or a first run) goes in short transactions rather than one long one.
 */
async function pruneInBatches(
  running: () => boolean,
  prune: (batch: number) => Promise<number>,
): Promise<number> {
  let pruned = 0;
  for (let i = 0; i < 1_000 && running(); i++) {
    const n = await prune(PRUNE_BATCH);
    pruned += n;
    if (n < PRUNE_BATCH) break;
  }
  return pruned;
}

export function expirySchedule(
  deps: {
    db: Database;
    onQueued: () => void;
    /** Scheduled key rotation (rotateEveryDays); unset: none. */
    rotation?: Omit<ScheduledRotationDeps, "db" | "log">;
  },
  options: ExpiryOptions,
): Schedule {
  const now = options.now ?? (() => new Date());
  const rule = () => ({
    now: now(),
    expiryGraceDays: options.expiryGraceDays,
    extraGraceDays: options.extraGraceDays,
  });
  return {
    name: "enforce",
    everyMs: options.intervalMs,
    firstAfterMs: Math.min(options.intervalMs, 5_000),
    failed: "expiry sweep failed; next round retries",
    async round(log, running) {
      // Bounded batches: a backlog (first run on a big database) drains over a few rounds
      // in the same tick rather than in one huge transaction.
      for (let i = 0; i < 100 && running(); i++) {
        const result = await lapseProducts(deps.db, rule());
        if (result.lapsed > 0) {
          log.info({ lapsed: result.lapsed, blocked: result.blocked }, "products lapsed");
          deps.onQueued();
        }
        if (!result.more) break;
      }
      for (let i = 0; i < 100 && running(); i++) {
        const result = await sweepExpiredTeams(deps.db, rule());
        if (!result.ran) break;
        if (result.blocked + result.unblocked > 0) {
          log.info(
            { blocked: result.blocked, unblocked: result.unblocked, full: result.full },
            "expiry sweep",
          );
          deps.onQueued();
        }
        if (!result.more) break;
      }
      // After the sweep: a team it just blocked is past its warnings.
      const warned = await evaluateExpiryWarnings(deps.db, rule());
      if (warned > 0) {
        log.info({ warned }, "expiry warnings raised");
        deps.onQueued();
      }
      if (options.operations) {
        const raised = await evaluateOperationsAlerts(deps.db, {
          now: now(),
          ...options.operations,
        });
        if (raised > 0) {
          log.info({ raised }, "operations events raised");
          deps.onQueued();
        }
      }
      // Rotations: secrets whose overlap ended are deleted (a job each, queued once), so
      // none outlives its overlap by more than this interval; then keys due under their
      // policy get a new secret.
      const retiring = await queueDueSecretRetirements(deps.db, now());
      if (retiring > 0) {
        log.info({ retiring }, "retiring rotated key secrets");
        deps.onQueued();
      }
      if (deps.rotation && running()) {
        const rotated = await rotateDueKeys({ ...deps.rotation, db: deps.db, log }, now());
        if (rotated > 0) deps.onQueued();
      }
      // Keys past their own expiry get the `key_expired` block (and its push) in one
      // statement; keys.extend lifts it. Keys without an expiry are never touched.
      if (running()) {
        const blocked = await sweepExpiredKeys(deps.db, now());
        if (blocked > 0) {
          log.info({ blocked }, "expired keys blocked");
          deps.onQueued();
        }
      }
      if (options.rateLimitRetentionMs !== undefined) {
        const before = new Date(now().getTime() - options.rateLimitRetentionMs);
        const pruned = await pruneInBatches(running, (batch) =>
          pruneRateLimitBuckets(deps.db, { before, batch }),
        );
        if (pruned > 0) log.info({ pruned }, "rate-limit rows pruned");
      }
      if (options.spendRetentionDays === undefined) return;
      const beforeDay = spendRetentionHorizon(now(), options.spendRetentionDays);
      const pruned = await pruneInBatches(running, (batch) =>
        pruneSpendHistory(deps.db, { beforeDay, batch }),
      );
      if (pruned > 0) log.info({ pruned, beforeDay }, "spend history pruned");
    },
  };
}
