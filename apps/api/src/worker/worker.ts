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
  claimJobs,
  completeJobs,
  failJob,
  keyBlockReasons,
  loadTeamEntitlement,
  releaseJobs,
  teamBlockedState,
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
   * and claims come in large batches. Default: 4 x concurrency, capped so a prefetched job
   * starts within half its lease even if every call ahead of it runs to the timeout.
   */
  prefetch?: number;
  /** Operator key that opens sealed key secrets (restoreKey jobs); null: such jobs fail. */
  secretsKey?: Buffer | null;
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

const FLUSH_MS = 10;

/** The worker options that come from the configuration rather than worker tuning. */
export function workerPolicy(
  config: AppConfig,
): Pick<
  WorkerOptions,
  "secretsKey" | "reconcileIntervalMs" | "spendSyncIntervalMs" | "defaultEntitlement" | "enforce"
> {
  return {
    secretsKey: config.secretsKey,
    reconcileIntervalMs: config.reconcileIntervalMs,
    spendSyncIntervalMs: config.spendSyncIntervalMs,
    defaultEntitlement: config.defaultEntitlement,
    enforce: {
      intervalMs: config.enforceIntervalMs,
      expiryGraceDays: config.expiryGraceDays,
      extraGraceDays: config.expiredBlockGraceDays,
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
  // Measured on the merge bench (10,000 moves, 5 ms per call, 32 slots): a claim costs a
  // few ms whatever its size, so the batch size decides the throughput (prefetch 32: 2.8x
  // the ideal time; 128: 2.2x). A prefetched job holds its lease while it waits for a slot,
  // hence the cap (96 with the default 60 s lease and 10 s request timeout).
  const prefetch = Math.max(
    1,
    options.prefetch ??
      Math.min(4 * concurrency, Math.floor((concurrency * leaseMs) / (2 * timeoutMs))),
  );
  // Claim again once the prefetched jobs run low: claims stay batched (one round trip per
  // many jobs) while the slots are kept busy.
  const lowWater = Math.max(1, Math.floor(prefetch / 2));
  const log = deps.logger.child({ worker: id });
  const { db } = deps;

  const regions = new RegionClients(db, timeoutMs, options.observeLiteLLM);
  let lastActiveAt = Date.now();
  const reconciler =
    (options.reconcileIntervalMs ?? 0) > 0
      ? startReconcileScheduler(
          { db, logger: log, regions, holder: `worker:${id}` },
          { intervalMs: options.reconcileIntervalMs! },
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
    secretsKey: options.secretsKey ?? null,
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
  const ready: ClaimedJob[] = [];
  let running = true;
  let wake: (() => void) | null = null;
  let drainedWaiters: Array<() => void> = [];
  let lastClaimEmpty = false;
  // Bumped whenever jobs may have become runnable behind the loop's back: completions
  // recorded (the next stage of a group unblocks), a nudge, a drained() request. A claim
  // that started before the latest bump proves nothing about the queue being empty, and
  // the loop looks again at once instead of sleeping a poll interval.
  let epoch = 0;
  const bump = (): void => {
    epoch++;
    lastClaimEmpty = false;
    wake?.();
  };
  const toComplete: Array<{ id: string; mergeId: string | null }> = [];
  let flushTimer: NodeJS.Timeout | null = null;
  const flushing = new Set<Promise<void>>();

  function scheduleFlush(): void {
    if (flushTimer) return;
    flushTimer = setTimeout(() => {
      flushTimer = null;
      const batch = toComplete.splice(0);
      if (batch.length === 0) return;
      const p = flush(batch).finally(() => flushing.delete(p));
      flushing.add(p);
    }, FLUSH_MS);
  }

  async function flush(batch: Array<{ id: string; mergeId: string | null }>): Promise<void> {
    try {
      await completeJobs(
        db.pool,
        id,
        batch.map((j) => j.id),
      );
      const merges = [
        ...new Set(batch.map((j) => j.mergeId).filter((m): m is string => m !== null)),
      ];
      if (merges.length) await settleMerges(merges);
      bump();
    } catch (error) {
      // The jobs stay RUNNING under our lease and are redone after it expires: handlers
      // are idempotent, so that costs a repeated call, never a lost effect.
      log.error({ err: error }, "recording job completions failed");
    }
    maybeDrained();
  }

  // Runs after every flush of completions: the IN list (every status but DONE) probes the
  // jobs (merge_id, status) index, where `<> 'DONE'` walked all of a merge's done jobs.
  async function settleMerges(mergeIds: string[]): Promise<void> {
    const settled = await db.pool.query(
      `UPDATE team_merges m SET status = 'DONE', completed_at = now()
        WHERE m.id = ANY($1::uuid[]) AND m.status <> 'DONE'
          AND NOT EXISTS (SELECT 1 FROM jobs j
                           WHERE j.merge_id = m.id AND j.status IN ('PENDING', 'RUNNING', 'FAILED'))`,
      [mergeIds],
    );
    options.onMergesSettled?.("done", settled.rowCount ?? 0);
  }

  async function execute(job: ClaimedJob): Promise<void> {
    try {
      if (!isJobKind(job.kind)) throw new Error(`unknown job kind ${job.kind}`);
      if (!job.regionId) throw new Error("LiteLLM job without a region");
      const client = await regions.get(job.regionId);
      const outcome = await runJob(client, job.kind, job.payload, jobDeps);
      log.debug({ job: job.id, kind: job.kind, outcome }, "job done");
      toComplete.push({ id: job.id, mergeId: job.mergeId });
      scheduleFlush();
    } catch (error) {
      if (await isMoot(job, error)) {
        log.info({ job: job.id, kind: job.kind }, "job moot: its key was deleted meanwhile");
        toComplete.push({ id: job.id, mergeId: job.mergeId });
        scheduleFlush();
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
      lastClaimEmpty &&
      toComplete.length === 0 &&
      flushing.size === 0 &&
      !flushTimer
    ) {
      const waiters = drainedWaiters;
      drainedWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /** Starts prefetched jobs while slots are free. */
  function startReady(): void {
    while (running && inFlight < concurrency && ready.length > 0) {
      const job = ready.shift()!;
      inFlight++;
      void execute(job).finally(() => {
        inFlight--;
        startReady();
        if (ready.length < lowWater) wake?.();
        maybeDrained();
      });
    }
  }

  const loop = (async () => {
    while (running) {
      const want = concurrency + prefetch - inFlight - ready.length;
      // Claim when the prefetch runs low (not for every freed slot: that was one claim
      // round trip per job, which capped a 10,000-job merge far below the slots' rate).
      const claiming = want > 0 && ready.length < lowWater;
      const claimEpoch = epoch;
      let claimed: ClaimedJob[] = [];
      let claimFailed = false;
      if (claiming) {
        try {
          claimed = await claimJobs(db.pool, id, want, leaseMs);
        } catch (error) {
          claimFailed = true;
          log.error({ err: error }, "claiming jobs failed; retrying");
        }
      }
      // "Empty" only from a real claim that saw the queue as it is now: no claim was made
      // when the slots and the prefetch were full, and a bump during the claim may have
      // unblocked jobs.
      if (!claimFailed) lastActiveAt = Date.now();
      const stale = claimEpoch !== epoch;
      lastClaimEmpty = claiming && !claimFailed && claimed.length === 0 && !stale;
      ready.push(...claimed);
      startReady();
      maybeDrained();
      if (!running) break;
      if (claimed.length > 0 && claimed.length === want) continue;
      if (stale) continue;
      // Wait for the prefetch to run low (a finishing job wakes us), a nudge, a recorded
      // completion, or the poll interval; soon after a partial claim, since the jobs it
      // did not get may be unblocked by the completions it is about to record.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, claimed.length > 0 ? FLUSH_MS : pollIntervalMs);
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
      const unstarted = ready.splice(0).map((j) => j.id);
      await releaseJobs(db.pool, id, unstarted).catch((err: unknown) => {
        // Their lease then runs out and another worker takes them: late, not lost.
        log.error({ err }, "handing back unstarted jobs failed");
      });
      while (inFlight > 0) await new Promise((r) => setTimeout(r, 10));
      if (flushTimer) {
        clearTimeout(flushTimer);
        flushTimer = null;
      }
      const batch = toComplete.splice(0);
      if (batch.length) await flush(batch);
      await Promise.all(flushing);
      regions.close();
    },
  };
}
