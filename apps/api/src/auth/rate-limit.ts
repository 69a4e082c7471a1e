/**
 * Fixed-window counters in PostgreSQL, shared by every API instance. One upsert per hit
 * both counts and reports, so two instances cannot both let the 11th attempt through.
 */
import type { Database } from "@gatehouse/db";

export async function hitRateLimit(
  db: Database,
  key: string,
  windowMs: number,
  now: Date,
): Promise<number> {
  const { rows } = await db.pool.query<{ count: number }>(
    `INSERT INTO rate_limit_buckets AS b (key, count, window_start) VALUES ($1, 1, $2)
     ON CONFLICT (key) DO UPDATE SET
       count = CASE WHEN b.window_start <= $3 THEN 1 ELSE b.count + 1 END,
       window_start = CASE WHEN b.window_start <= $3 THEN $2 ELSE b.window_start END
     RETURNING count`,
    [key, now, new Date(now.getTime() - windowMs)],
  );
  return rows[0]?.count ?? 1;
}

/**
 * Takes back one hit of the current window (an attempt that turned out not to count: a
 * successful login, or one refused by another limit before it was tried).
 */
export async function refundRateLimit(
  db: Database,
  key: string,
  windowMs: number,
  now: Date,
): Promise<void> {
  await db.pool.query(
    `UPDATE rate_limit_buckets SET count = GREATEST(count - 1, 0) WHERE key = $1 AND window_start > $2`,
    [key, new Date(now.getTime() - windowMs)],
  );
}

export async function resetRateLimit(db: Database, key: string): Promise<void> {
  await db.pool.query(`DELETE FROM rate_limit_buckets WHERE key = $1`, [key]);
}
