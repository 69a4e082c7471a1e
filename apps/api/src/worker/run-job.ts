/**
 * Running one claimed job: a LiteLLM kind gets its region's client and its kind's handler
 * with what it may read from Gatehouse (JobDeps, from db); a local kind (core
 * local-jobs.ts: a mail) has no region and goes to local-handlers.ts with its own deps.
 * Then its outcome. A failure is recorded at once (a retry
 * after a backoff, or FAILED when out of attempts, which fails its merge); a success is the
 * queue loop's to record, batched with its next claim.
 */
import {
  apiKeyExists,
  failJob,
  failMerge,
  forgetRetiredSecret,
  keyBlockReasons,
  keyPushState,
  keyReinstateState,
  keySecretsState,
  memberBudget,
  teamBlockedState,
  teamEntitlementIfExists,
  teamNameIfExists,
  type ClaimedJob,
  type Database,
} from "@gatehouse/db";
import { isJobKind, isLocalJobKind, type TProductLimits } from "@gatehouse/core";
import { isLiteLLMError } from "@gatehouse/litellm";
import type { RegionClients } from "../litellm/region-clients.ts";
import type { Logger } from "../logger.ts";
import { runJob, type JobDeps } from "./handlers.ts";
import { runLocalJob, type LocalJobDeps } from "./local-handlers.ts";
import { RetryAfter } from "./retry-after.ts";

export interface JobRunnerDeps {
  db: Database;
  regions: RegionClients;
  log: Logger;
  workerId: string;
  secretsKeys: readonly Buffer[];
  defaultEntitlement: TProductLimits;
  /** What local jobs (mail) run with; `db` and the logger are the runner's own. */
  local: Pick<LocalJobDeps, "mail" | "clock" | "publicUrl" | "webhooks">;
  onMergesSettled?: (outcome: "done" | "failed", count: number) => void;
}

/**
 * What handlers may read from Gatehouse (JobDeps) over `db`: the worker's, and a workflow's
 * that runs a job's work inline before the worker gets to it (keys.rotate).
 */
export function jobDepsFor(input: {
  db: Database;
  secretsKeys: readonly Buffer[];
  defaultEntitlement: TProductLimits;
  /** Names the writer of the audit events handlers write. */
  requestId: string;
  clock: { now(): Date };
}): JobDeps {
  const { db } = input;
  return {
    teamName: (teamId) => teamNameIfExists(db, teamId),
    secretsKeys: input.secretsKeys,
    entitlement: (teamId) => teamEntitlementIfExists(db, teamId, input.defaultEntitlement),
    teamBlocked: (teamId) => teamBlockedState(db, teamId),
    keyBlocked: async (keyId) => {
      const reasons = await keyBlockReasons(db, keyId);
      return reasons === null ? null : reasons.length > 0;
    },
    keyReinstateState: (keyId) => keyReinstateState(db, keyId),
    keySecretsState: (keyId) => keySecretsState(db, keyId),
    forgetRetiredSecret: (keyId, keyToken) =>
      forgetRetiredSecret(db, {
        keyToken,
        audit: {
          actorUserId: null,
          actorServiceTokenId: null,
          action: "key.secret_retired",
          targetType: "apiKey",
          details: { keyId },
          requestId: input.requestId,
          createdAt: input.clock.now(),
        },
      }),
    keyPushState: (keyId) => keyPushState(db, keyId),
    memberBudget: (teamId, userId) => memberBudget(db, teamId, userId),
  };
}

/** Returns a function that runs one job and says whether it is done (to be recorded). */
export function jobRunner(deps: JobRunnerDeps): (job: ClaimedJob) => Promise<boolean> {
  const { db, regions, log, workerId } = deps;
  const jobDeps = jobDepsFor({
    db,
    secretsKeys: deps.secretsKeys,
    defaultEntitlement: deps.defaultEntitlement,
    requestId: `worker:${workerId}`,
    clock: deps.local.clock,
  });
  const localDeps: LocalJobDeps = { db, log, ...deps.local };

  /**
   * A move of a key LiteLLM does not know, whose row is gone too: the key's creation failed
   * (and was rolled back) after a merge had already queued its move. Nothing to do.
   */
  async function isMoot(job: ClaimedJob, error: unknown): Promise<boolean> {
    if (job.kind !== "litellm.moveKey" || !job.apiKeyId) return false;
    if (!isLiteLLMError(error) || error.reason !== "key_not_found") return false;
    return !(await apiKeyExists(db, job.apiKeyId));
  }

  return async (job) => {
    try {
      if (isLocalJobKind(job.kind)) {
        const outcome = await runLocalJob(job.kind, job.payload, job, localDeps);
        log.debug({ job: job.id, kind: job.kind, outcome }, "job done");
        return true;
      }
      if (!isJobKind(job.kind)) throw new Error(`unknown job kind ${job.kind}`);
      if (!job.regionId) throw new Error("LiteLLM job without a region");
      const client = await regions.get(job.regionId);
      const outcome = await runJob(client, job.kind, job.payload, jobDeps);
      log.debug({ job: job.id, kind: job.kind, outcome }, "job done");
      return true;
    } catch (error) {
      if (await isMoot(job, error)) {
        log.info({ job: job.id, kind: job.kind }, "job moot: its key was deleted meanwhile");
        return true;
      }
      const message = isLiteLLMError(error)
        ? `${error.kind}/${error.reason}: ${error.message}`
        : error instanceof Error
          ? error.message
          : String(error);
      // Everything is retried with backoff until maxAttempts: a wrong master key or URL
      // is fixed by an operator, and the jobs should then go through on their own.
      const retry =
        error instanceof RetryAfter
          ? { retryable: true, delayMs: error.delayMs }
          : { retryable: true };
      const verdict = await failJob(db, workerId, job, message, retry).catch((err: unknown) => {
        log.error({ err }, "recording a job failure failed");
        return "retry" as const;
      });
      if (verdict === "failed" && job.mergeId) {
        await failMerge(db, job.mergeId)
          .then((failed) => deps.onMergesSettled?.("failed", failed ? 1 : 0))
          .catch(() => {});
      }
      log.warn(
        { job: job.id, kind: job.kind, attempts: job.attempts, verdict, error: message },
        "job failed",
      );
      return false;
    }
  };
}
