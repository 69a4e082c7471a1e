/**
 * A durable job queue on PostgreSQL (the outbox of LiteLLM side effects): claiming,
 * completing, failing and handing back jobs (the worker's side; enqueue.ts is the writers').
 *
 * Why our own table rather than pg-boss/graphile-worker: jobs must be written in the
 * same Prisma transaction as the change that needs them (a merge, a key deletion), with
 * per-key status for the UI and ordered stages within a merge; a 150-line table-and-SQL
 * queue does exactly that, and keeps one migration story (Prisma) for the whole schema.
 *
 * - workers claim with FOR UPDATE SKIP LOCKED: several workers never take the same job;
 * - a claim is a lease: a worker that dies leaves the job RUNNING with an expired lease,
 *   and another worker reclaims it, so handlers must be idempotent (ours are);
 * - a job of a group waits until every job of a lower stage in that group is DONE;
 * - a job bound to an inactive region waits until the region is active again;
 * - failures retry with exponential backoff until maxAttempts, then FAILED (visible).
 */
import pg from "pg";
import type { Prisma } from "../generated/prisma/client.ts";
import { poolOf, type PoolSource } from "../pool-source.ts";

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
 *
 * Shaped for a queue holding a 10,000-key merge (one group, one run_at) on top of a long
 * history of DONE jobs, whatever the planner statistics say:
 * - expired leases are first put back to PENDING (few rows, found by the status index), so
 *   the claim itself can be one ordered walk of the (status, run_at) index that stops
 *   after `limit` runnable rows;
 * - the stage check looks for one unfinished job of a lower stage through a LIMIT 1
 *   subquery, which the planner cannot flatten and serves from the (group_key, stage)
 *   index in a couple of entries. As a plain NOT EXISTS next to `group_key IS NULL OR`
 *   it ran as a sequential scan of the whole table per candidate once statistics showed
 *   one group holding every row: 10-25 s per claim at 10,000 jobs;
 * - `enable_sort = off` for this transaction only: with stale statistics (a queue just
 *   filled by one merge, before autovacuum analyzed it) the planner expects a few pending
 *   rows and picks "bitmap scan, check every pending row, sort them all", 20-40 ms per
 *   claim at 10,000 jobs instead of 1-3 ms. A queue's statistics are always stale.
 * All of it is one round trip: a multi-statement simple query (values inlined, escaped).
 * The worker sends the same transaction behind its completions: see recordAndClaimJobs.
 */
export async function claimJobs(
  source: PoolSource,
  workerId: string,
  limit: number,
  leaseMs: number,
): Promise<ClaimedJob[]> {
  const pool = poolOf(source);
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError("claimJobs: limit must be a positive integer");
  return (await recordAndClaimJobs(pool, workerId, { done: [], mergeIds: [], limit, leaseMs }))
    .claimed;
}

/** The claim's transaction (see claimJobs), values inlined and escaped, RETURNING the jobs. */
function claimStatements(workerId: string, limit: number, leaseMs: number): string[] {
  if (!Number.isFinite(leaseMs) || leaseMs <= 0)
    throw new RangeError("claimJobs: leaseMs must be positive");
  return [
    `BEGIN`,
    `SET LOCAL enable_sort = off`,
    // A dead worker's jobs become claimable again. locked_by is cleared, so its late
    // completion or failure no longer matches and cannot overwrite the new holder's.
    `UPDATE jobs SET status = 'PENDING', locked_by = NULL, locked_until = NULL, updated_at = now()
      WHERE status = 'RUNNING' AND locked_until < now()`,
    `WITH runnable AS (
       SELECT j.id FROM jobs j
        WHERE j.status = 'PENDING' AND j.run_at <= now()
          AND NOT EXISTS (
                SELECT 1 FROM (
                  SELECT 1 FROM jobs d
                   WHERE d.group_key = j.group_key AND d.stage < j.stage AND d.status <> 'DONE'
                   ORDER BY d.group_key, d.stage
                   LIMIT 1) AS blocker)
          AND (j.region_id IS NULL OR EXISTS (
                SELECT 1 FROM regions r WHERE r.id = j.region_id AND r.is_active))
        ORDER BY j.run_at
        LIMIT ${limit}
        FOR UPDATE OF j SKIP LOCKED)
     UPDATE jobs SET status = 'RUNNING', locked_by = ${pg.escapeLiteral(workerId)}, attempts = attempts + 1,
            locked_until = now() + make_interval(secs => ${leaseMs / 1000}),
            updated_at = now()
       FROM runnable WHERE jobs.id = runnable.id
     RETURNING jobs.id::text, jobs.kind, jobs.payload, jobs.attempts, jobs.max_attempts,
               jobs.region_id, jobs.merge_id, jobs.api_key_id`,
    `COMMIT`,
  ];
}

/** What one recordAndClaimJobs round trip did. */
export interface RecordAndClaimResult {
  claimed: ClaimedJob[];
  /** Merges (of `mergeIds`) this round trip marked DONE. */
  mergesSettled: number;
}

/**
 * A worker's one round trip to the queue: records `done` as completed (as completeJobs:
 * only jobs this worker still holds), marks DONE those of `mergeIds` that have no job
 * left, then claims up to `limit` jobs (as claimJobs; none when `limit` is 0). Carrying the
 * completions on the claim costs one statement per batch of jobs instead of three (claim,
 * completion, merge settling), and the claim sees the stages those completions unblock.
 *
 * Three transactions in one simple-query message, in this order:
 * - the completions commit on their own, before the merge settling looks: two workers
 *   settling in transactions that also hold their own completions could each miss the
 *   other's last jobs, and leave the merge SYNCING forever;
 * - the settling (its own implicit transaction), durable as any commit;
 * - the claim, as claimJobs.
 * Completions and the claim commit with synchronous_commit off: they skip the WAL flush
 * (~2 ms each here). A server crash can then lose the last few of them, which the queue
 * survives by design: a lost claim leaves its jobs PENDING, a lost completion leaves its
 * job RUNNING until its lease expires and it is redone (handlers are idempotent). Nothing
 * later in the WAL survives without them, so a merge is never DONE with a job undone.
 * On an error nothing after the failing statement ran; what committed before it stays:
 * callers may send the same completions again (they then match no row).
 */
export async function recordAndClaimJobs(
  source: PoolSource,
  workerId: string,
  request: { done: readonly string[]; mergeIds: readonly string[]; limit: number; leaseMs: number },
): Promise<RecordAndClaimResult> {
  const pool = poolOf(source);
  const { done, mergeIds, limit, leaseMs } = request;
  if (!Number.isInteger(limit) || limit < 0)
    throw new RangeError("recordAndClaimJobs: limit must be a non-negative integer");
  const statements: string[] = [];
  if (done.length > 0) {
    statements.push(
      `BEGIN`,
      `SET LOCAL synchronous_commit = off`,
      completionSql(workerId, done),
      `COMMIT`,
    );
  }
  let settleAt = -1;
  if (mergeIds.length > 0) {
    for (const mergeId of mergeIds)
      if (!UUID.test(mergeId)) throw new RangeError(`not a merge id: ${mergeId}`);
    // The IN list (every status but DONE) probes the jobs (merge_id, status) index, where
    // `<> 'DONE'` walked all of a merge's done jobs.
    settleAt = statements.length;
    statements.push(
      `UPDATE team_merges m SET status = 'DONE', completed_at = now()
        WHERE m.id = ANY('{${mergeIds.join(",")}}'::uuid[]) AND m.status <> 'DONE'
          AND NOT EXISTS (SELECT 1 FROM jobs j
                           WHERE j.merge_id = m.id AND j.status IN ('PENDING', 'RUNNING', 'FAILED'))`,
    );
  }
  let claimAt = -1;
  if (limit > 0) {
    const claim = claimStatements(workerId, limit, leaseMs);
    claim.splice(1, 0, `SET LOCAL synchronous_commit = off`);
    claimAt = statements.length + claim.length - 2;
    statements.push(...claim);
  }
  if (statements.length === 0) return { claimed: [], mergesSettled: 0 };
  const sent = await pool.query(statements.join(";\n") + ";");
  // One result per statement for several; pg gives a lone statement's result unwrapped.
  const results = (Array.isArray(sent) ? sent : [sent]) as Array<pg.QueryResult<ClaimedRow>>;
  const rows = claimAt >= 0 ? (results[claimAt]?.rows ?? []) : [];
  return {
    claimed: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      payload: r.payload,
      attempts: r.attempts,
      maxAttempts: r.max_attempts,
      regionId: r.region_id,
      mergeId: r.merge_id,
      apiKeyId: r.api_key_id,
    })),
    mergesSettled: settleAt >= 0 ? (results[settleAt]?.rowCount ?? 0) : 0,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Marks jobs done, only while this worker still holds them (a worker whose lease expired
 * and was reclaimed must not overwrite the new holder's state). Returns the ids updated.
 */
export async function completeJobs(
  source: PoolSource,
  workerId: string,
  ids: string[],
): Promise<string[]> {
  const pool = poolOf(source);
  if (ids.length === 0) return [];
  const { rows } = await pool.query<{ id: string }>(
    `${completionSql(workerId, ids)} RETURNING id::text`,
  );
  return rows.map((r) => r.id);
}

/** completeJobs' statement, ids checked and inlined (recordAndClaimJobs sends it in one message). */
function completionSql(workerId: string, ids: readonly string[]): string {
  for (const jobId of ids)
    if (!/^[0-9]{1,19}$/.test(jobId)) throw new RangeError(`not a job id: ${jobId}`);
  return `UPDATE jobs SET status = 'DONE', locked_by = NULL, locked_until = NULL, last_error = NULL,
                 updated_at = now()
           WHERE id = ANY('{${ids.join(",")}}'::bigint[]) AND locked_by = ${pg.escapeLiteral(workerId)}
             AND status = 'RUNNING'`;
}

/**
 * Hands back jobs this worker claimed but never started (a worker prefetches a few, and
 * gives them back on stop): PENDING again, the claim's attempt not counted.
 */
export async function releaseJobs(
  source: PoolSource,
  workerId: string,
  ids: string[],
): Promise<number> {
  const pool = poolOf(source);
  if (ids.length === 0) return 0;
  const result = await pool.query(
    `UPDATE jobs SET status = 'PENDING', locked_by = NULL, locked_until = NULL,
            attempts = greatest(attempts - 1, 0), updated_at = now()
      WHERE id = ANY($1::bigint[]) AND locked_by = $2 AND status = 'RUNNING'`,
    [ids, workerId],
  );
  return result.rowCount ?? 0;
}

/** Base and cap of the retry backoff. */
export const RETRY_BASE_MS = 1_000;
export const RETRY_MAX_MS = 5 * 60_000;

export function retryDelayMs(attempts: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1));
}

/** Records a failed attempt: back to PENDING after a backoff, or FAILED when out of attempts. */
export async function failJob(
  source: PoolSource,
  workerId: string,
  job: Pick<ClaimedJob, "id" | "attempts" | "maxAttempts">,
  error: string,
  options: { retryable: boolean; delayMs?: number },
): Promise<"retry" | "failed"> {
  const pool = poolOf(source);
  const final = !options.retryable || job.attempts >= job.maxAttempts;
  await pool.query(
    `UPDATE jobs SET status = $3::"JobStatus", locked_by = NULL, locked_until = NULL,
            last_error = left($4, 2000),
            run_at = now() + make_interval(secs => $5::double precision / 1000), updated_at = now()
      WHERE id = $1::bigint AND locked_by = $2`,
    [
      job.id,
      workerId,
      final ? "FAILED" : "PENDING",
      error,
      final ? 0 : (options.delayMs ?? retryDelayMs(job.attempts)),
    ],
  );
  return final ? "failed" : "retry";
}

/**
 * A merge whose job failed for good is FAILED (only while it is SYNCING: a merge settled
 * meanwhile stays as it is). Returns whether it changed.
 */
export async function failMerge(source: PoolSource, mergeId: string): Promise<boolean> {
  const pool = poolOf(source);
  const result = await pool.query(
    `UPDATE team_merges SET status = 'FAILED' WHERE id = $1::uuid AND status = 'SYNCING'`,
    [mergeId],
  );
  return (result.rowCount ?? 0) > 0;
}

/** Wakes jobs of a region that just became active, instead of waiting for their backoff. */
export async function wakeRegionJobs(
  tx: Prisma.TransactionClient,
  regionId: string,
): Promise<number> {
  const result = await tx.job.updateMany({
    where: { regionId, status: "PENDING" },
    data: { runAt: new Date() },
  });
  return result.count;
}
