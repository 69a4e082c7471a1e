/**
 * What the queue says about the jobs of a key, a merge or a group (the UI's sync state),
 * and the few places a caller settles jobs itself (it did their work, or made it moot).
 */
import type { Prisma } from "../generated/prisma/client.ts";
import { poolOf, type PoolSource } from "../pool-source.ts";

/**
 * Unfinished `litellm.deleteKey` jobs of a region whose key held `keyAlias` on the proxy.
 * A key deleted in Gatehouse keeps its alias on the proxy until its delete job runs; a key
 * re-created at once with the same name needs that alias now (see keys.create).
 */
export async function pendingKeyDeletesForAlias(
  source: PoolSource,
  regionId: string,
  keyAlias: string,
): Promise<Array<{ id: string; keyToken: string }>> {
  const pool = poolOf(source);
  const { rows } = await pool.query<{ id: string; key_token: string }>(
    `SELECT id::text, payload->>'keyToken' AS key_token FROM jobs
      WHERE kind = 'litellm.deleteKey' AND region_id = $1::uuid AND status <> 'DONE'
        AND payload->>'keyAlias' = $2`,
    [regionId, keyAlias],
  );
  return rows.map((r) => ({ id: r.id, keyToken: r.key_token }));
}

/**
 * Marks jobs DONE whose effect the caller has just achieved itself. A worker holding one
 * of them loses its lease (locked_by cleared), so its late completion or failure is a no-op.
 */
export async function settleJobsDone(source: PoolSource, ids: string[]): Promise<number> {
  const pool = poolOf(source);
  if (ids.length === 0) return 0;
  const result = await pool.query(
    `UPDATE jobs SET status = 'DONE', locked_by = NULL, locked_until = NULL, last_error = NULL, updated_at = now()
      WHERE id = ANY($1::bigint[]) AND status <> 'DONE'`,
    [ids],
  );
  return result.rowCount ?? 0;
}

/**
 * Settles the unfinished restore jobs of a key being deleted (in the deleting transaction),
 * reconciliation's and the way back of a key whose owner left (`litellm.reinstateKey`):
 * one waiting on retries would otherwise put the key, same secret, back on its proxy.
 * A worker holding one loses its lease; the handler re-reads the key before and after it
 * creates anything, which covers a restore already past this point.
 */
export async function cancelKeyRestores(
  tx: Pick<Prisma.TransactionClient, "$executeRaw">,
  apiKeyId: string,
): Promise<number> {
  return tx.$executeRaw`UPDATE jobs SET status = 'DONE', locked_by = NULL, locked_until = NULL,
      last_error = 'cancelled: the key was deleted', updated_at = now()
    WHERE api_key_id = ${apiKeyId}::uuid AND kind IN ('litellm.restoreKey', 'litellm.reinstateKey') AND status IN ('PENDING', 'RUNNING')`;
}

export type JobStatusName = "PENDING" | "RUNNING" | "DONE" | "FAILED";

/** One job of a merge, with its region, as teams.mergeStatus reports it. */
export interface MergeJobRow {
  kind: string;
  status: JobStatusName;
  attempts: number;
  last_error: string | null;
  run_at: Date;
  api_key_id: string | null;
  group_key: string | null;
  stage: number;
  region_name: string | null;
  region_active: boolean | null;
}

/** Every job a merge enqueued, in the order it enqueued them. */
export async function mergeJobs(source: PoolSource, mergeId: string): Promise<MergeJobRow[]> {
  const pool = poolOf(source);
  const { rows } = await pool.query<MergeJobRow>(
    `SELECT j.kind, j.status, j.attempts, j.last_error, j.run_at, j.api_key_id::text, j.group_key, j.stage,
            r.name AS region_name, r.is_active AS region_active
       FROM jobs j LEFT JOIN regions r ON r.id = j.region_id
      WHERE j.merge_id = $1::uuid ORDER BY j.id`,
    [mergeId],
  );
  return rows;
}

/** How many jobs of a group are in each status (statuses with none are absent). */
export async function jobStatusCounts(
  source: PoolSource,
  groupKey: string,
): Promise<Array<{ status: JobStatusName; n: number }>> {
  const pool = poolOf(source);
  const { rows } = await pool.query<{ status: JobStatusName; n: number }>(
    `SELECT status, count(*)::int AS n FROM jobs WHERE group_key = $1 GROUP BY status`,
    [groupKey],
  );
  return rows;
}

/** The latest job of each key (keys with no job are absent): its proxy sync state. */
export async function latestKeyJobs(
  source: PoolSource,
  apiKeyIds: readonly string[],
): Promise<Map<string, { status: JobStatusName; lastError: string | null }>> {
  const pool = poolOf(source);
  if (apiKeyIds.length === 0) return new Map();
  const { rows } = await pool.query<{
    api_key_id: string;
    status: JobStatusName;
    last_error: string | null;
  }>(
    `SELECT DISTINCT ON (api_key_id) api_key_id::text, status, last_error
       FROM jobs WHERE api_key_id = ANY($1::uuid[]) ORDER BY api_key_id, id DESC`,
    [apiKeyIds],
  );
  return new Map(rows.map((r) => [r.api_key_id, { status: r.status, lastError: r.last_error }]));
}
