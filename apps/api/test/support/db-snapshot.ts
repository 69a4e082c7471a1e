/**
 * A fingerprint of everything the database holds: per table, its row count and an md5 of
 * its rows in a fixed order. Two equal snapshots mean no row was added, removed or changed.
 * Tables that change legitimately on every request (session sliding expiry, login rate
 * limits) are left out by name.
 */
import type { Database } from "@gatehouse/db";

type Pool = Database["pool"];

export type Snapshot = Record<string, { rows: number; md5: string }>;

export const VOLATILE_TABLES: readonly string[] = ["sessions", "rate_limit_buckets"];

export async function snapshotDatabase(
  pool: Pool,
  exclude: readonly string[] = VOLATILE_TABLES,
): Promise<Snapshot> {
  const { rows: tables } = await pool.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const snapshot: Snapshot = {};
  for (const { name } of tables) {
    if (exclude.includes(name)) continue;
    // Identifiers come from the catalog, quoted; the row's text form covers every column.
    const quoted = `"${name.replaceAll('"', '""')}"`;
    const { rows } = await pool.query<{ n: number; md5: string | null }>(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS md5
         FROM ${quoted} t`,
    );
    snapshot[name] = { rows: rows[0]?.n ?? 0, md5: rows[0]?.md5 ?? "" };
  }
  return snapshot;
}

/** Tables whose fingerprint differs, with before/after, for a readable failure. */
export function diffSnapshots(
  before: Snapshot,
  after: Snapshot,
): Record<string, { before: unknown; after: unknown }> {
  const changed: Record<string, { before: unknown; after: unknown }> = {};
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[name];
    const b = after[name];
    if (a?.rows !== b?.rows || a?.md5 !== b?.md5)
      changed[name] = { before: a ?? null, after: b ?? null };
  }
  return changed;
}
