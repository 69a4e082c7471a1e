/**
 * What the Prometheus scrape reads: the connection pool's counters, and the job queue's
 * unfinished jobs through the jobs(status, run_at) index (DONE jobs accumulate forever and
 * are never counted: that would scan them all).
 */
import type { Database } from "../client.ts";

export function poolStats(db: Pick<Database, "pool">): {
  inUse: number;
  idle: number;
  waiting: number;
} {
  const { pool } = db;
  return {
    inUse: pool.totalCount - pool.idleCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
  };
}

/** Jobs not done yet, by status (PENDING, RUNNING, FAILED) and kind. */
export async function countUnfinishedJobs(
  db: Pick<Database, "pool">,
): Promise<{ status: string; kind: string; count: number }[]> {
  const { rows } = await db.pool.query<{ status: string; kind: string; n: string }>(
    `SELECT status, kind, count(*) AS n FROM jobs WHERE status IN ('PENDING', 'RUNNING', 'FAILED') GROUP BY status, kind`,
  );
  return rows.map((row) => ({ status: row.status, kind: row.kind, count: Number(row.n) }));
}

/** Seconds the oldest runnable pending job has waited (0 when none). */
export async function oldestPendingJobAgeSeconds(db: Pick<Database, "pool">): Promise<number> {
  const { rows } = await db.pool.query<{ age: number | null }>(
    `SELECT EXTRACT(EPOCH FROM now() - min(run_at))::float8 AS age FROM jobs WHERE status = 'PENDING' AND run_at <= now()`,
  );
  return Math.max(0, rows[0]?.age ?? 0);
}
