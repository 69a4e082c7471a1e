/**
 * A durable job queue on PostgreSQL (the outbox of LiteLLM side effects).
 *
 * Why our own table rather than pg-boss/graphile-worker: jobs must be written in the
 * same Prisma transaction as the change that needs them (a merge, a key deletion), with
 * per-key status for the UI and ordered stages within a merge; a 150-line table-and-SQL
 * queue does exactly that, and keeps one migration story (Prisma) for the whole schema.
 *
 * - enqueue inside the caller's transaction: the jobs exist iff the change committed;
 * - workers claim with FOR UPDATE SKIP LOCKED: several workers never take the same job;
 * - a claim is a lease: a worker that dies leaves the job RUNNING with an expired lease,
 *   and another worker reclaims it, so handlers must be idempotent (ours are);
 * - a job of a group waits until every job of a lower stage in that group is DONE;
 * - a job bound to an inactive region waits until the region is active again;
 * - failures retry with exponential backoff until maxAttempts, then FAILED (visible).
 */
import type pg from "pg";
import type { Prisma } from "./generated/prisma/client.ts";

export interface NewJob {
  kind: string;
  payload: Prisma.InputJsonValue;
  groupKey?: string | null;
  stage?: number;
  regionId?: string | null;
  mergeId?: string | null;
  apiKeyId?: string | null;
  maxAttempts?: number;
  runAt?: Date;
}

export async function enqueueJobs(tx: Prisma.TransactionClient, jobs: NewJob[]): Promise<number> {
  if (jobs.length === 0) return 0;
  const result = await tx.job.createMany({
    data: jobs.map((job) => ({
      kind: job.kind,
      payload: job.payload,
      groupKey: job.groupKey ?? null,
      stage: job.stage ?? 0,
      regionId: job.regionId ?? null,
      mergeId: job.mergeId ?? null,
      apiKeyId: job.apiKeyId ?? null,
      ...(job.maxAttempts !== undefined ? { maxAttempts: job.maxAttempts } : {}),
      ...(job.runAt ? { runAt: job.runAt } : {}),
    })),
  });
  return result.count;
}

export interface ClaimedJob {
  id: string;
  kind: string;
  payload: unknown;
  attempts: number;
  maxAttempts: number;
  regionId: string | null;
  mergeId: string | null;
  apiKeyId: string | null;
}

interface ClaimedRow {
  id: string;
  kind: string;
  payload: unknown;
  attempts: number;
  max_attempts: number;
  region_id: string | null;
  merge_id: string | null;
  api_key_id: string | null;
}

/**
 * Claims up to `limit` runnable jobs for `workerId` for `leaseMs`. Pending jobs whose time
 * has come, and running jobs whose lease expired (their worker died), are runnable.
 */
export async function claimJobs(
  pool: pg.Pool,
  workerId: string,
  limit: number,
  leaseMs: number,
): Promise<ClaimedJob[]> {
  const { rows } = await pool.query<ClaimedRow>(
    `WITH runnable AS (
       SELECT j.id FROM jobs j
        WHERE ((j.status = 'PENDING' AND j.run_at <= now())
            OR (j.status = 'RUNNING' AND j.locked_until < now()))
          AND (j.group_key IS NULL OR NOT EXISTS (
                SELECT 1 FROM jobs d
                 WHERE d.group_key = j.group_key AND d.stage < j.stage AND d.status <> 'DONE'))
          AND (j.region_id IS NULL OR EXISTS (
                SELECT 1 FROM regions r WHERE r.id = j.region_id AND r.is_active))
        ORDER BY j.run_at, j.id
        LIMIT $2
        FOR UPDATE OF j SKIP LOCKED)
     UPDATE jobs SET status = 'RUNNING', locked_by = $1, attempts = attempts + 1,
            locked_until = now() + make_interval(secs => $3::double precision / 1000),
            updated_at = now()
       FROM runnable WHERE jobs.id = runnable.id
     RETURNING jobs.id::text, jobs.kind, jobs.payload, jobs.attempts, jobs.max_attempts,
               jobs.region_id, jobs.merge_id, jobs.api_key_id`,
    [workerId, limit, leaseMs],
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    payload: r.payload,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    regionId: r.region_id,
    mergeId: r.merge_id,
    apiKeyId: r.api_key_id,
  }));
}

/**
 * Marks jobs done, only while this worker still holds them (a worker whose lease expired
 * and was reclaimed must not overwrite the new holder's state). Returns the ids updated.
 */
export async function completeJobs(pool: pg.Pool, workerId: string, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const { rows } = await pool.query<{ id: string }>(
    `UPDATE jobs SET status = 'DONE', locked_by = NULL, locked_until = NULL, last_error = NULL,
            updated_at = now()
      WHERE id = ANY($1::bigint[]) AND locked_by = $2 AND status = 'RUNNING'
      RETURNING id::text`,
    [ids, workerId],
  );
  return rows.map((r) => r.id);
}

/** Base and cap of the retry backoff. */
export const RETRY_BASE_MS = 1_000;
export const RETRY_MAX_MS = 5 * 60_000;

export function retryDelayMs(attempts: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1));
}

/** Records a failed attempt: back to PENDING after a backoff, or FAILED when out of attempts. */
export async function failJob(
  pool: pg.Pool,
  workerId: string,
  job: Pick<ClaimedJob, "id" | "attempts" | "maxAttempts">,
  error: string,
  options: { retryable: boolean },
): Promise<"retry" | "failed"> {
  const final = !options.retryable || job.attempts >= job.maxAttempts;
  await pool.query(
    `UPDATE jobs SET status = $3::"JobStatus", locked_by = NULL, locked_until = NULL,
            last_error = left($4, 2000),
            run_at = now() + make_interval(secs => $5::double precision / 1000), updated_at = now()
      WHERE id = $1::bigint AND locked_by = $2`,
    [job.id, workerId, final ? "FAILED" : "PENDING", error, final ? 0 : retryDelayMs(job.attempts)],
  );
  return final ? "failed" : "retry";
}

/** Puts FAILED jobs back in the queue (an operator's "retry"). */
export async function requeueFailedJobs(
  tx: Prisma.TransactionClient,
  where: { mergeId?: string; ids?: bigint[] },
): Promise<number> {
  const result = await tx.job.updateMany({
    where: { status: "FAILED", ...(where.mergeId ? { mergeId: where.mergeId } : {}), ...(where.ids ? { id: { in: where.ids } } : {}) },
    data: { status: "PENDING", runAt: new Date(), attempts: 0, lastError: null },
  });
  return result.count;
}

/** Wakes jobs of a region that just became active, instead of waiting for their backoff. */
export async function wakeRegionJobs(tx: Prisma.TransactionClient, regionId: string): Promise<number> {
  const result = await tx.job.updateMany({
    where: { regionId, status: "PENDING" },
    data: { runAt: new Date() },
  });
  return result.count;
}
