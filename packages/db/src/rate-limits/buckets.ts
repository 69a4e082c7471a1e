/**
 * Fixed-window counters in PostgreSQL, shared by every API instance. One upsert per hit
 * both counts and reports, so two instances cannot both let the 11th attempt through.
 * The same table remembers where accounts signed in from (known places, login limits).
 */
import { accountThrottle, type AccountThrottle } from "@gatehouse/core";
import type { Database } from "../client.ts";

export async function hitRateLimit(
  db: Pick<Database, "pool">,
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
  db: Pick<Database, "pool">,
  key: string,
  windowMs: number,
  now: Date,
): Promise<void> {
  await db.pool.query(
    `UPDATE rate_limit_buckets SET count = GREATEST(count - 1, 0) WHERE key = $1 AND window_start > $2`,
    [key, new Date(now.getTime() - windowMs)],
  );
}

export async function resetRateLimit(db: Pick<Database, "pool">, key: string): Promise<void> {
  await db.pool.query(`DELETE FROM rate_limit_buckets WHERE key = $1`, [key]);
}

/**
 * The account-wide login limit (core accountThrottle): counts this attempt when the account
 * is not in a delay, and says how long to wait when it is. The account's counter row stays
 * locked from the read to the count, so parallel attempts each see the one before; an
 * attempt refused here counts for nothing (hammering does not lengthen the delay). The time
 * of the last counted failure is kept in a row of its own (`<key>:last`).
 */
export async function hitAccountLimit(
  db: Pick<Database, "pool">,
  key: string,
  freeFailures: number,
  windowMs: number,
  now: Date,
): Promise<AccountThrottle> {
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ count: number }>(
      `INSERT INTO rate_limit_buckets AS b (key, count, window_start) VALUES ($1, 0, $2)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN b.window_start <= $3 THEN 0 ELSE b.count END,
         window_start = CASE WHEN b.window_start <= $3 THEN $2 ELSE b.window_start END
       RETURNING count`,
      [key, now, new Date(now.getTime() - windowMs)],
    );
    const last = await client.query<{ window_start: Date }>(
      `SELECT window_start FROM rate_limit_buckets WHERE key = $1`,
      [`${key}:last`],
    );
    const throttle = accountThrottle(
      { failures: rows[0]?.count ?? 0, lastFailureAt: last.rows[0]?.window_start ?? null },
      freeFailures,
      now,
    );
    if (throttle.allowed) {
      await client.query(`UPDATE rate_limit_buckets SET count = count + 1 WHERE key = $1`, [key]);
      await client.query(
        `INSERT INTO rate_limit_buckets (key, count, window_start) VALUES ($1, 0, $2)
         ON CONFLICT (key) DO UPDATE SET window_start = EXCLUDED.window_start`,
        [`${key}:last`, now],
      );
    }
    await client.query("COMMIT");
    return throttle;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Whether any of these places (known-place keys) signed in since `since`. */
export async function isKnownPlace(
  db: Pick<Database, "pool">,
  keys: readonly string[],
  since: Date,
): Promise<boolean> {
  if (keys.length === 0) return false;
  const { rows } = await db.pool.query(
    `SELECT 1 FROM rate_limit_buckets WHERE key = ANY($1::text[]) AND window_start > $2 LIMIT 1`,
    [keys, since],
  );
  return rows.length > 0;
}

/** Records a successful sign-in from these places (known-place keys) at `now`. */
export async function rememberPlaces(
  db: Pick<Database, "pool">,
  keys: readonly string[],
  now: Date,
): Promise<void> {
  await db.pool.query(
    `INSERT INTO rate_limit_buckets (key, count, window_start)
     SELECT k, 0, $2 FROM unnest($1::text[]) AS k
     ON CONFLICT (key) DO UPDATE SET window_start = EXCLUDED.window_start`,
    [keys, now],
  );
}

/**
 * Deletes up to `batch` rows last touched before `before` and returns how many: every
 * counter's window and every known place has ended by then (the worker's expiry sweep
 * passes the longest of them, core KNOWN_PLACE_MS or a longer login window). Without it the
 * table keeps a row for every address and email ever tried. A range of the window_start index.
 */
export async function pruneRateLimitBuckets(
  db: Pick<Database, "pool">,
  options: { before: Date; batch: number },
): Promise<number> {
  const { rowCount } = await db.pool.query(
    `DELETE FROM rate_limit_buckets WHERE key IN (
       SELECT key FROM rate_limit_buckets WHERE window_start < $1 LIMIT $2)`,
    [options.before, options.batch],
  );
  return rowCount ?? 0;
}
