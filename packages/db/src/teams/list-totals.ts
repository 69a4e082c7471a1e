/**
 * The listing's totals: capped counts held for a few seconds per count statement and
 * parameters, single-flight, refreshed in the background when they expire.
 */
import type pg from "pg";
import { namedStatement } from "../client.ts";

/**
 * Capped totals by count statement and parameters, for `CAPPED_TOTAL_TTL_MS`. Only capped
 * ones: an exact total (at most the cap) is always counted again, so a team that appears or
 * goes away shows in the next answer. A capped total reads "more than the cap"; holding it a
 * few seconds can only be wrong after thousands of teams vanish at once, and then only
 * until it is counted again. Per process and per pool (tests open several databases).
 *
 * Counts are single-flight: requests that need the same count while it runs wait for that
 * one. And a held total that expires is answered once more while one request counts it
 * again in the background: otherwise every 10 s all the clients of a busy first page would
 * miss at once and each start the same 10,001-row count (a latency spike in the p99).
 */
export interface TotalsCache {
  /** Expiry (epoch ms) of each held capped total. */
  held: Map<string, number>;
  /** Counts running now. */
  counting: Map<string, Promise<number>>;
}
const cappedTotals = new WeakMap<pg.Pool, TotalsCache>();
export const CAPPED_TOTAL_TTL_MS = 10_000;
const MAX_CAPPED_TOTALS = 1_000;

export function totalsOf(pool: pg.Pool): TotalsCache {
  let cache = cappedTotals.get(pool);
  if (!cache) cappedTotals.set(pool, (cache = { held: new Map(), counting: new Map() }));
  return cache;
}

/**
 * The cache key of a count. The expiry filter's cutoff moves with the clock on every
 * request; cutoffs within one TTL window share an entry (both read "more than the cap"), or
 * the expired filter, the dearest count, would never be held.
 */
export function totalKey(sql: string, values: unknown[]): string {
  return `${sql}\u0000${JSON.stringify(
    values.map((v) => (v instanceof Date ? Math.floor(v.getTime() / CAPPED_TOTAL_TTL_MS) : v)),
  )}`;
}

/** Holds a capped total for the TTL; forgets one that is no longer capped. */
function remember(cache: TotalsCache, key: string, n: number, cap: number): void {
  if (n > cap) {
    if (!cache.held.has(key) && cache.held.size >= MAX_CAPPED_TOTALS) {
      cache.held.delete(cache.held.keys().next().value!);
    }
    cache.held.set(key, Date.now() + CAPPED_TOTAL_TTL_MS);
  } else {
    cache.held.delete(key);
  }
}

/** Registers a count in flight, so identical requests meanwhile wait for it. */
export function track(
  cache: TotalsCache,
  key: string,
  cap: number,
  count: Promise<number>,
): Promise<number> {
  const tracked = count
    .then((n) => {
      remember(cache, key, n, cap);
      return n;
    })
    .catch((error: unknown) => {
      cache.held.delete(key);
      throw error;
    })
    .finally(() => cache.counting.delete(key));
  cache.counting.set(key, tracked);
  return tracked;
}

export async function cappedTotal(
  pool: pg.Pool,
  sql: string,
  values: unknown[],
  cap: number,
  nowMs: number,
): Promise<number> {
  const cache = totalsOf(pool);
  const key = totalKey(sql, values);
  const expires = cache.held.get(key);
  if (expires !== undefined && expires > nowMs) return cap + 1;
  const count =
    cache.counting.get(key) ??
    track(
      cache,
      key,
      cap,
      pool
        .query<{ n: number }>(namedStatement(pool, sql, values))
        .then(({ rows }) => rows[0]?.n ?? 0),
    );
  if (expires !== undefined) {
    // Held but expired: answer as before; the count above refreshes it (or drops it).
    count.catch(() => {});
    return cap + 1;
  }
  return count;
}
