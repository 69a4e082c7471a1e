/**
 * The job worker: claims runnable jobs from PostgreSQL, runs up to `concurrency` LiteLLM
 * calls at once, and records outcomes in batches. Any number of workers (in the API
 * process or separate ones) can share the queue; see packages/db/src/jobs.ts for the
 * guarantees. It claims in batches and keeps up to `prefetch` claimed jobs ready, so the
 * slots stay busy between claims. `stop()` stops claiming, hands back prefetched jobs
 * that never started, and waits for calls in flight (recording them) before returning.
 */
import crypto from "node:crypto";
import os from "node:os";
import {
  failJob,
  keyBlockReasons,
  loadTeamEntitlement,
  recordAndClaimJobs,
  releaseJobs,
  teamBlockedState,
  keyReinstateState,
  type ClaimedJob,
  type Database,
} from "@gatehouse/db";
import { isLiteLLMError } from "@gatehouse/litellm";
import { RegionClients, type RegionObserverFactory } from "../litellm/region-clients.ts";
import type { AppConfig } from "../config.ts";
import type { Logger } from "../logger.ts";
import { startReconcileScheduler } from "../reconcile/scheduler.ts";
import { startSpendScheduler } from "../spend/scheduler.ts";
import { runJob, type JobDeps } from "./handlers.ts";
import { isJobKind, UNLIMITED, type TProductLimits } from "@gatehouse/core";
import { startEnforceScheduler } from "./enforce.ts";
import { openingKeys } from "../secrets.ts";

export interface WorkerOptions {
  workerId?: string;
  /** LiteLLM calls in flight at once. */
  concurrency?: number;
  /** How often to look for work when the queue seemed empty. */
  pollIntervalMs?: number;
  /** How long a claimed job stays ours before another worker may take it over. */
  leaseMs?: number;
  /** LiteLLM request timeout. */
  requestTimeoutMs?: number;
  /**
   * Jobs claimed ahead of free slots, so a slot that frees up starts its next job at once
   * and claims come in large batches. Default: 8 x concurrency. A prefetched job still
   * waiting when half its lease has gone is handed back instead of started (so it never
   * runs past its lease when the calls ahead of it hang until their timeout).
   */
  prefetch?: number;
  /** Operator key that opens sealed key secrets (restoreKey jobs); null: such jobs fail. */
  secretsKey?: Buffer | null;
  /** Keys of a rotation under way (GATEHOUSE_SECRETS_KEY_PREVIOUS): they still open. */
  previousSecretsKeys?: readonly Buffer[];
  /** Reconcile every active region this often (report only); 0 or unset: never. */
  reconcileIntervalMs?: number;
  /** Read every active region's spend this often (GATEHOUSE_SPEND_SYNC_INTERVAL_MS); 0 or unset: never. */
  spendSyncIntervalMs?: number;
  /** Entitlement of a team with no active product (GATEHOUSE_DEFAULT_ENTITLEMENT). */
  defaultEntitlement?: TProductLimits;
  /**
   * The expiry sweep (GATEHOUSE_ENFORCE_INTERVAL_MS; 0 or unset: never), with the expiry
   * grace (GATEHOUSE_EXPIRY_GRACE_DAYS) and the extra days before blocking
   * (GATEHOUSE_EXPIRED_BLOCK_GRACE_DAYS).
   */
  enforce?: {
    intervalMs: number;
    expiryGraceDays: number;
    extraGraceDays: number;
    /** Days of spend history kept (GATEHOUSE_SPEND_RETENTION_DAYS); unset: never pruned. */
    spendRetentionDays?: number;
    now?: () => Date;
  };
  /** Observer for each region's LiteLLM calls (metrics). */
  observeLiteLLM?: RegionObserverFactory;
  /** Told how many merges this worker settled, by outcome (metrics). */
  onMergesSettled?: (outcome: "done" | "failed", count: number) => void;
}

/** When the worker's loop last went round healthily, for readiness checks. */
export interface WorkerHeartbeat {
  /** Date.now() of the last successful claim (or of a round that needed none). */
  lastActiveAt: number;
  leaseMs: number;
}

export interface Worker {
  readonly id: string;
  stop(): Promise<void>;
  /** Resolves once the queue has no runnable job and nothing is in flight (tests). */
  drained(): Promise<void>;
  /** Look for work now instead of at the next poll (e.g. right after a merge commits). */
  nudge(): void;
  /** A worker that has not gone round for longer than its lease is stuck (or its DB is gone). */
  heartbeat(): WorkerHeartbeat;
  /** Runs the periodic reconciliation's round now (a no-op when it is disabled). */
  reconcileDue(): Promise<void>;
  /** Runs the expiry sweep now (a no-op when it is not configured). */
  enforceDue(): Promise<void>;
  /** Runs the spend sync's round now (a no-op when it is disabled). */
  spendSyncDue(): Promise<void>;
}

/**
 * The longest a finished job waits to be recorded when nothing else takes this worker to
 * the queue. A busy worker records a batch with every claim (about every prefetch/2 jobs)
 * and an idle one at once, so this only bounds how late other workers (and the UI) see a
 * completion, e.g. the end of a stage that their jobs wait for.
 */
const FLUSH_MS = 50;

/** The worker options that come from the configuration rather than worker tuning. */
export function workerPolicy(
  config: AppConfig,
): Pick<
  WorkerOptions,
  | "secretsKey"
  | "previousSecretsKeys"
  | "reconcileIntervalMs"
  | "spendSyncIntervalMs"
  | "defaultEntitlement"
  | "enforce"
> {
  return {
    secretsKey: config.secretsKey,
    previousSecretsKeys: config.previousSecretsKeys,
    reconcileIntervalMs: config.reconcileIntervalMs,
    spendSyncIntervalMs: config.spendSyncIntervalMs,
    defaultEntitlement: config.defaultEntitlement,
    enforce: {
      intervalMs: config.enforceIntervalMs,
      expiryGraceDays: config.expiryGraceDays,
      extraGraceDays: config.expiredBlockGraceDays,
      spendRetentionDays: config.spendRetentionDays,
    },
  };
}

export function startWorker(
  deps: { db: Database; logger: Logger },
  options: WorkerOptions = {},
): Worker {
  const id =
    options.workerId ?? `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString("hex")}`;
  const concurrency = options.concurrency ?? 32;
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  const leaseMs = options.leaseMs ?? 60_000;
  const timeoutMs = options.requestTimeoutMs ?? 10_000;
  // Measured on the merge bench (10,000 moves, 5 ms per call, 32 slots, two cores shared
  // with the proxy and PostgreSQL): a round trip to the queue takes ~3 ms alone but 20-40
  // ms (up to 200) under that load, and the slots run what was prefetched meanwhile: with
  // 96 prefetched they ran dry in most round trips, with 256 in few.
  const prefetch = Math.max(1, options.prefetch ?? 8 * concurrency);
  // Claim again once the prefetched jobs run low: claims stay batched (one round trip per
  // many jobs) while the slots are kept busy.
  const lowWater = Math.max(1, Math.floor(prefetch / 2));
  const log = deps.logger.child({ worker: id });
  const { db } = deps;

  const secretsKeys = openingKeys({
    secretsKey: options.secretsKey ?? null,
    previousSecretsKeys: options.previousSecretsKeys ?? [],
  });
  const regions = new RegionClients(db, timeoutMs, options.observeLiteLLM, secretsKeys);
  let lastActiveAt = Date.now();
  const reconciler =
    (options.reconcileIntervalMs ?? 0) > 0
      ? startReconcileScheduler(
          { db, logger: log, regions, holder: `worker:${id}` },
          {
            intervalMs: options.reconcileIntervalMs!,
            ...(options.defaultEntitlement
              ? { defaultEntitlement: options.defaultEntitlement }
              : {}),
          },
        )
      : null;
  const spendSync =
    (options.spendSyncIntervalMs ?? 0) > 0
      ? startSpendScheduler(
          { db, logger: log, regions, holder: `worker:${id}` },
          { intervalMs: options.spendSyncIntervalMs! },
        )
      : null;
  const defaultEntitlement = options.defaultEntitlement ?? UNLIMITED;
  const jobDeps: JobDeps = {
    teamName: async (teamId) =>
      (await db.prisma.team.findUnique({ where: { id: teamId }, select: { name: true } }))?.name ??
      null,
    secretsKeys,
    entitlement: async (teamId) => {
      const exists = await db.prisma.team.findUnique({
        where: { id: teamId },
        select: { id: true },
      });
      return exists ? loadTeamEntitlement(db.prisma, teamId, defaultEntitlement) : null;
    },
    teamBlocked: (teamId) => teamBlockedState(db.pool, teamId),
    keyBlocked: async (keyId) => {
      const reasons = await keyBlockReasons(db.pool, keyId);
      return reasons === null ? null : reasons.length > 0;
    },
    keyReinstateState: (keyId) => keyReinstateState(db.prisma, keyId),
  };
  const enforcer =
    options.enforce && options.enforce.intervalMs > 0
      ? startEnforceScheduler(
          {
            db,
            logger: log,
            onQueued: () => bump(),
            ...(options.enforce.now ? { now: options.enforce.now } : {}),
          },
          options.enforce,
        )
      : null;
  let inFlight = 0;
  /** Claimed, not started yet (leased to us, so no other worker runs them meanwhile). */
  const ready: Array<{ job: ClaimedJob; claimedAt: number }> = [];
  /** Hand-backs of prefetched jobs that waited too long (stop() waits for them). */
  const handingBack = new Set<Promise<unknown>>();
  let running = true;
  let wake: (() => void) | null = null;
  let drainedWaiters: Array<() => void> = [];
  let lastClaimEmpty = false;
  /**
   * The last claim got fewer jobs than it asked for, so nothing more was runnable then: no
   * claim again before our own completions (which may unblock the next stage), a bump or
   * the poll interval. Each claim of a 10,000-job merge whose first stage is running
   * looks at every blocked job, so asking again at once only cost the database time.
   */
  let lastClaimShort = false;
  // Bumped whenever jobs may have become runnable behind the loop's back: a nudge, a
  // drained() request, the expiry sweep queueing jobs. A claim that started before the
  // latest bump proves nothing about the queue being empty, and the loop looks again at
  // once instead of sleeping a poll interval. (Our own completions travel in the claim's
  // round trip, ahead of it, so the claim already sees what they unblock.)
  let epoch = 0;
  const bump = (): void => {
    epoch++;
    lastClaimEmpty = false;
    lastClaimShort = false;
    wake?.();
  };
  /** Finished jobs not recorded yet: they go with the next round trip to the queue. */
  let toComplete: Array<{ id: string; mergeId: string | null }> = [];
  /** Set FLUSH_MS after the oldest unrecorded completion: record them even with no claim due. */
  let flushTimer: NodeJS.Timeout | null = null;
  let flushDue = false;
  /** A round trip to the queue is under way (only the loop and stop() send them, one at a time). */
  let sending = false;

  function completed(job: ClaimedJob): void {
    toComplete.push({ id: job.id, mergeId: job.mergeId });
    if (!flushTimer && !flushDue)
      flushTimer = setTimeout(() => {
        flushTimer = null;
        flushDue = true;
        wake?.();
      }, FLUSH_MS);
  }

  /**
   * Whether the loop should go to the queue now: to claim (the prefetch runs low: not for
   * every freed slot, which was one round trip per job), or to record completions (a batch
   * has gathered, they are FLUSH_MS old, or this worker has nothing else to do, e.g. the
   * next stage of a merge waits for them).
   */
  function roundTripDue(): boolean {
    const want = concurrency + prefetch - inFlight - ready.length;
    if (want > 0 && ready.length < lowWater && !lastClaimShort) return true;
    if (toComplete.length === 0) return false;
    return flushDue || toComplete.length >= lowWater || (inFlight === 0 && ready.length === 0);
  }

  /**
   * One round trip: records every finished job (and settles their merges), and claims
   * while there is room. Completions that could not be recorded are kept for the next one;
   * were the worker to die first, the jobs stay RUNNING under our lease and are redone
   * after it expires (handlers are idempotent): a repeated call, never a lost effect.
   */
  async function roundTrip(claim: boolean): Promise<boolean> {
    const batch = toComplete;
    toComplete = [];
    flushDue = false;
    if (flushTimer) {
      clearTimeout(flushTimer);
      flushTimer = null;
    }
    const want = concurrency + prefetch - inFlight - ready.length;
    const limit = claim && want > 0 ? want : 0;
    const claimEpoch = epoch;
    // Before the claim: the lease starts at some point during it.
    const claimedAt = Date.now();
    sending = true;
    try {
      const mergeIds = [
        ...new Set(batch.map((j) => j.mergeId).filter((m): m is string => m !== null)),
      ];
      const result = await recordAndClaimJobs(db.pool, id, {
        done: batch.map((j) => j.id),
        mergeIds,
        limit,
        leaseMs,
      });
      if (mergeIds.length > 0) options.onMergesSettled?.("done", result.mergesSettled);
      lastActiveAt = Date.now();
      // "Empty" only from a real claim that saw the queue as it is now: a bump during the
      // claim may have made jobs runnable.
      lastClaimShort = limit > 0 && result.claimed.length < limit && claimEpoch === epoch;
      lastClaimEmpty = lastClaimShort && result.claimed.length === 0;
      for (const job of result.claimed) ready.push({ job, claimedAt });
      return true;
    } catch (error) {
      log.error({ err: error }, "recording completions / claiming jobs failed; retrying");
      toComplete = batch.concat(toComplete);
      return false;
    } finally {
      sending = false;
    }
  }

  async function execute(job: ClaimedJob): Promise<void> {
    try {
      if (!isJobKind(job.kind)) throw new Error(`unknown job kind ${job.kind}`);
      if (!job.regionId) throw new Error("LiteLLM job without a region");
      const client = await regions.get(job.regionId);
      const outcome = await runJob(client, job.kind, job.payload, jobDeps);
      log.debug({ job: job.id, kind: job.kind, outcome }, "job done");
      completed(job);
    } catch (error) {
      if (await isMoot(job, error)) {
        log.info({ job: job.id, kind: job.kind }, "job moot: its key was deleted meanwhile");
        completed(job);
        return;
      }
      const message = isLiteLLMError(error)
        ? `${error.kind}/${error.reason}: ${error.message}`
        : error instanceof Error
          ? error.message
          : String(error);
      // Everything is retried with backoff until maxAttempts: a wrong master key or URL
      // is fixed by an operator, and the jobs should then go through on their own.
      const verdict = await failJob(db.pool, id, job, message, { retryable: true }).catch(
        (err: unknown) => {
          log.error({ err }, "recording a job failure failed");
          return "retry" as const;
        },
      );
      if (verdict === "failed" && job.mergeId) {
        await db.pool
          .query(
            `UPDATE team_merges SET status = 'FAILED' WHERE id = $1::uuid AND status = 'SYNCING'`,
            [job.mergeId],
          )
          .then((failed) => options.onMergesSettled?.("failed", failed.rowCount ?? 0))
          .catch(() => {});
      }
      log.warn(
        { job: job.id, kind: job.kind, attempts: job.attempts, verdict, error: message },
        "job failed",
      );
    }
  }

  /**
   * A move of a key LiteLLM does not know, whose row is gone too: the key's creation failed
   * (and was rolled back) after a merge had already queued its move. Nothing to do.
   */
  async function isMoot(job: ClaimedJob, error: unknown): Promise<boolean> {
    if (job.kind !== "litellm.moveKey" || !job.apiKeyId) return false;
    if (!isLiteLLMError(error) || error.reason !== "key_not_found") return false;
    const row = await db.prisma.apiKey.findUnique({
      where: { id: job.apiKeyId },
      select: { id: true },
    });
    return row === null;
  }

  function maybeDrained(): void {
    if (
      inFlight === 0 &&
      ready.length === 0 &&
      handingBack.size === 0 &&
      lastClaimEmpty &&
      toComplete.length === 0 &&
      !sending
    ) {
      const waiters = drainedWaiters;
      drainedWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /** Starts prefetched jobs while slots are free. */
  function startReady(): void {
    const expired: string[] = [];
    while (running && inFlight < concurrency && ready.length > 0) {
      const { job, claimedAt } = ready.shift()!;
      if (Date.now() - claimedAt > leaseMs / 2) {
        expired.push(job.id);
        continue;
      }
      inFlight++;
      void execute(job).finally(() => {
        inFlight--;
        startReady();
        if (wake && roundTripDue()) wake();
        maybeDrained();
      });
    }
    if (expired.length > 0) {
      // Back to the queue, for us or another worker to claim with a fresh lease.
      const p = releaseJobs(db.pool, id, expired)
        .catch((err: unknown) => log.error({ err }, "handing back stale prefetched jobs failed"))
        .finally(() => {
          handingBack.delete(p);
          maybeDrained();
        });
      handingBack.add(p);
      lastClaimShort = false;
    }
  }

  const loop = (async () => {
    while (running) {
      if (roundTripDue()) {
        const ok = await roundTrip(true);
        startReady();
        maybeDrained();
        if (!running) break;
        // Straight on when another is due already (completions gathered meanwhile, a full
        // claim, a bump); each either claims, records, or finds the queue empty.
        if (ok && roundTripDue()) continue;
      } else {
        lastActiveAt = Date.now();
        maybeDrained();
      }
      // Wait for a finished job to make a round trip due, the flush timer, a nudge, or the
      // poll interval (after a failure too: no tight retry loop while the database is away).
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          // Look at the queue again, as a bump would.
          lastClaimEmpty = false;
          lastClaimShort = false;
          resolve();
        }, pollIntervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  })();

  return {
    id,
    heartbeat() {
      return { lastActiveAt, leaseMs };
    },
    nudge() {
      bump();
    },
    reconcileDue() {
      return reconciler?.tick() ?? Promise.resolve();
    },
    enforceDue() {
      return enforcer?.tick() ?? Promise.resolve();
    },
    spendSyncDue() {
      return spendSync?.tick() ?? Promise.resolve();
    },
    drained() {
      return new Promise<void>((resolve) => {
        drainedWaiters.push(resolve);
        // Work enqueued just before this call must be seen: require a fresh empty claim.
        bump();
      });
    },
    async stop() {
      running = false;
      wake?.();
      await reconciler?.stop();
      await spendSync?.stop();
      await enforcer?.stop();
      await loop;
      // Prefetched jobs that never started go back to the queue for the next worker.
      const unstarted = ready.splice(0).map((r) => r.job.id);
      await releaseJobs(db.pool, id, unstarted).catch((err: unknown) => {
        // Their lease then runs out and another worker takes them: late, not lost.
        log.error({ err }, "handing back unstarted jobs failed");
      });
      while (inFlight > 0) await new Promise((r) => setTimeout(r, 10));
      await Promise.all(handingBack);
      if (toComplete.length > 0) await roundTrip(false);
      if (flushTimer) {
        clearTimeout(flushTimer);
        flushTimer = null;
      }
      regions.close();
    },
  };
}
