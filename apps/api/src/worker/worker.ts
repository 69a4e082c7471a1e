/**
 * The job worker's queue loop (graphile-worker's localQueue): claims runnable jobs from
 * PostgreSQL, runs up to `concurrency` of them at once (run-job.ts), and records outcomes
 * in batches. Any number of workers (in the API process or separate ones) can share the
 * queue; see packages/db/src/jobs/queue.ts for the guarantees. It claims in batches and
 * keeps up to `prefetch` claimed jobs ready, so the slots stay busy between claims. Beside
 * the loop run the worker's schedules (periodic.ts, schedules.ts). `stop()` stops claiming,
 * hands back prefetched jobs that never started, and waits for calls in flight (recording
 * them) before returning.
 */
import crypto from "node:crypto";
import os from "node:os";
import { recordAndClaimJobs, releaseJobs, type ClaimedJob, type Database } from "@gatehouse/db";
import { UNLIMITED } from "@gatehouse/core";
import { RegionClients } from "../litellm/region-clients.ts";
import { systemClock } from "../clock.ts";
import { WEBHOOK_TIMEOUTS } from "../events/deliver-webhook.ts";
import { systemResolver } from "../events/webhook-post.ts";
import { createMailTransport } from "../mail/transport.ts";
import { WORKER_DEFAULTS } from "../config.ts";
import type { Logger } from "../logger.ts";
import { openingKeys } from "../secrets.ts";
import { startPeriodic, type Schedule } from "./periodic.ts";
import { jobRunner } from "./run-job.ts";
import type { Worker, WorkerOptions } from "./options.ts";
import { expirySchedule, reconcileSchedule, spendSyncSchedule } from "./schedules.ts";

export { workerPolicy, type Worker, type WorkerHeartbeat, type WorkerOptions } from "./options.ts";

/**
 * The longest a finished job waits to be recorded when nothing else takes this worker to
 * the queue. A busy worker records a batch with every claim (about every prefetch/2 jobs)
 * and an idle one at once, so this only bounds how late other workers (and the UI) see a
 * completion, e.g. the end of a stage that their jobs wait for.
 */
const FLUSH_MS = 50;

export function startWorker(
  deps: { db: Database; logger: Logger },
  options: WorkerOptions = {},
): Worker {
  const id =
    options.workerId ?? `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString("hex")}`;
  const { concurrency, pollIntervalMs, leaseMs, requestTimeoutMs } = {
    ...WORKER_DEFAULTS,
    ...definedOnly(options),
  };
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
  const regions = new RegionClients(db, requestTimeoutMs, options.observeLiteLLM, secretsKeys);
  // Local jobs (mail) need no region; the SMTP pool is this worker's, closed on stop.
  const mail = createMailTransport(options.mail ?? { smtpUrl: null, from: "gatehouse@localhost" });
  let lastActiveAt = Date.now();
  const execute = jobRunner({
    db,
    regions,
    log,
    workerId: id,
    secretsKeys,
    defaultEntitlement: options.defaultEntitlement ?? UNLIMITED,
    local: {
      mail,
      clock: options.clock ?? systemClock,
      publicUrl: options.publicUrl ?? (() => "http://localhost"),
      webhooks: {
        allowHttp: options.webhooks?.allowHttp ?? false,
        resolve: options.webhooks?.resolve ?? systemResolver,
        connectTimeoutMs: options.webhooks?.connectTimeoutMs ?? WEBHOOK_TIMEOUTS.connectTimeoutMs,
        timeoutMs: options.webhooks?.timeoutMs ?? WEBHOOK_TIMEOUTS.timeoutMs,
        secretsKeys,
      },
    },
    ...(options.onMergesSettled ? { onMergesSettled: options.onMergesSettled } : {}),
  });
  const scheduleDeps = { db, regions, holder: `worker:${id}` };
  const schedules: Schedule[] = [];
  if ((options.reconcileIntervalMs ?? 0) > 0)
    schedules.push(
      reconcileSchedule(scheduleDeps, options.reconcileIntervalMs!, options.defaultEntitlement),
    );
  if ((options.spendSyncIntervalMs ?? 0) > 0)
    schedules.push(spendSyncSchedule(scheduleDeps, options.spendSyncIntervalMs!));
  if (options.enforce && options.enforce.intervalMs > 0)
    schedules.push(
      expirySchedule(
        {
          db,
          onQueued: () => bump(),
          rotation: {
            secretsKey: options.secretsKey ?? null,
            publicUrl: options.publicUrl ?? (() => "http://localhost"),
          },
        },
        options.enforce,
      ),
    );
  const periodic = startPeriodic(schedules, log);
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
      const result = await recordAndClaimJobs(db, id, {
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
      void execute(job)
        .then((done) => {
          if (done) completed(job);
        })
        .finally(() => {
          inFlight--;
          startReady();
          if (wake && roundTripDue()) wake();
          maybeDrained();
        });
    }
    if (expired.length > 0) {
      // Back to the queue, for us or another worker to claim with a fresh lease.
      const p = releaseJobs(db, id, expired)
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
      return periodic.run("reconcile");
    },
    enforceDue() {
      return periodic.run("enforce");
    },
    spendSyncDue() {
      return periodic.run("spend-sync");
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
      await periodic.stop();
      await loop;
      // Prefetched jobs that never started go back to the queue for the next worker.
      const unstarted = ready.splice(0).map((r) => r.job.id);
      await releaseJobs(db, id, unstarted).catch((err: unknown) => {
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
      mail.close();
    },
  };
}

/** The options a caller set (an explicit `undefined` must not hide a default). */
function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
