/**
 * Per-region leases of the periodic region tasks: a row per region in the task's table
 * (holder + expiry, last finish) keeps one runner per region across every worker, and says
 * which regions are due.
 */
import type pg from "pg";

/** The lease tables, one per periodic task (a closed list: the name is spliced into SQL). */
export type RegionLeaseTable = "region_spend_syncs" | "region_reconciliations";

const LEASE_TABLES: ReadonlySet<RegionLeaseTable> = new Set([
  "region_spend_syncs",
  "region_reconciliations",
]);

/**
 * Active regions whose last run of the task finished more than `intervalMs` ago (or never),
 * and whose lease is not held: longest-waiting first.
 */
export async function dueRegions(
  pool: pg.Pool,
  table: RegionLeaseTable,
  intervalMs: number,
): Promise<Array<{ id: string; name: string }>> {
  if (!LEASE_TABLES.has(table)) throw new Error(`not a region lease table: ${String(table)}`);
  const { rows } = await pool.query<{ id: string; name: string }>(
    `SELECT r.id::text, r.name FROM regions r
       LEFT JOIN ${table} s ON s.region_id = r.id
      WHERE r.is_active
        AND (s.finished_at IS NULL OR s.finished_at < now() - make_interval(secs => $1::double precision / 1000))
        AND (s.running_until IS NULL OR s.running_until < now())
      ORDER BY s.finished_at NULLS FIRST`,
    [intervalMs],
  );
  return rows;
}

/**
 * Gives back a region's reconciliation lease without recording a finish (a scan for orphans
 * only is not a reconciliation). Only while `holder` still holds it.
 */
export async function releaseReconcileLease(
  pool: pg.Pool,
  regionId: string,
  holder: string,
): Promise<void> {
  await pool.query(
    `UPDATE region_reconciliations SET running_by = NULL, running_until = NULL WHERE region_id = $1::uuid AND running_by = $2`,
    [regionId, holder],
  );
}
