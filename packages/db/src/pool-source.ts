/**
 * What a query function of this package takes to reach the pool: the `Database` apps hold
 * (so they never touch its pool themselves) or, inside this package and its tests, the pool.
 */
import type pg from "pg";
import type { Database } from "./client.ts";

export type PoolSource = Pick<Database, "pool"> | pg.Pool;

export function poolOf(source: PoolSource): pg.Pool {
  return "query" in source ? source : source.pool;
}
