/**
 * Per-region leases of the periodic region tasks: a row per region in the task's table
 * (holder + expiry, last finish) keeps one runner per region across every worker, and says
 * which regions are due.
 */
import { poolOf, type PoolSource } from "../pool-source.ts";

/**
 * How long a region task's lease holds without renewal: every periodic task (spend sync,
 * reconciliation) and the admin's reconciliation take it for this long, and renew it with
 * leaseHeartbeat while they run, so a runner that died frees the region within it.
 */
export const REGION_LEASE_MS = 60_000;

/**
 * Another runner holds the region's lease for this task (or the work was just done): the
 * caller skips the region. The one busy error of every region task.
 */
export class RegionBusyError extends Error {
  override readonly name = "RegionBusyError";
}

/** The lease tables, one per periodic task (a closed list: the name is spliced into SQL). */
export type RegionLeaseTable = "region_spend_syncs" | "region_reconciliations";

const LEASE_TABLES: ReadonlySet<RegionLeaseTable> = new Set([
  "region_spend_syncs",
  "region_reconciliations",
]);

function assertLeaseTable(table: RegionLeaseTable): void {
  if (!LEASE_TABLES.has(table)) throw new Error(`not a region lease table: ${String(table)}`);
}

/**
 * Active regions whose last run of the task finished more than `intervalMs` ago (or never),
 * and whose lease is not held: longest-waiting first.
 */
export async function dueRegions(
  source: PoolSource,
  table: RegionLeaseTable,
  intervalMs: number,
): Promise<Array<{ id: string; name: string }>> {
  const pool = poolOf(source);
  assertLeaseTable(table);
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
 * Takes a region's lease for `holder` for `leaseMs`, or returns false while another holds
 * it (or, with `unlessFinishedWithinMs`, when a run finished that recently: a periodic run
 * that lost the race to another worker does not repeat its work).
 */
export async function claimRegionLease(
  source: PoolSource,
  table: RegionLeaseTable,
  lease: {
    regionId: string;
    holder: string;
    leaseMs: number;
    unlessFinishedWithinMs?: number | null;
  },
): Promise<boolean> {
  const pool = poolOf(source);
  assertLeaseTable(table);
  const { rowCount } = await pool.query(
    `INSERT INTO ${table} (region_id, running_by, running_until, started_at, updated_at)
     VALUES ($1::uuid, $2, now() + make_interval(secs => $3::double precision / 1000), now(), now())
     ON CONFLICT (region_id) DO UPDATE
        SET running_by = EXCLUDED.running_by, running_until = EXCLUDED.running_until,
            started_at = now(), updated_at = now()
      WHERE (${table}.running_until IS NULL OR ${table}.running_until < now())
        AND ($4::double precision IS NULL OR ${table}.finished_at IS NULL
             OR ${table}.finished_at < now() - make_interval(secs => $4::double precision / 1000))`,
    [lease.regionId, lease.holder, lease.leaseMs, lease.unlessFinishedWithinMs ?? null],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * Extends `holder`'s lease by `leaseMs` from now. False when it was lost (the holder stalled
 * past it and another took over): the caller stops and writes nothing over the other's run.
 */
export async function renewRegionLease(
  source: PoolSource,
  table: RegionLeaseTable,
  lease: { regionId: string; holder: string; leaseMs: number },
): Promise<boolean> {
  const pool = poolOf(source);
  assertLeaseTable(table);
  const { rowCount } = await pool.query(
    `UPDATE ${table} SET running_until = now() + make_interval(secs => $3::double precision / 1000)
      WHERE region_id = $1::uuid AND running_by = $2`,
    [lease.regionId, lease.holder, lease.leaseMs],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * A heartbeat for a long run under a lease: call it as often as convenient (after each page,
 * each batch); it renews at most every `everyMs` and throws `lost()` when the lease went
 * to another holder, so the run stops before writing over the other's.
 */
export function leaseHeartbeat(
  source: PoolSource,
  table: RegionLeaseTable,
  lease: { regionId: string; holder: string; leaseMs: number },
  lost: () => Error,
  everyMs = 10_000,
): () => Promise<void> {
  const pool = poolOf(source);
  let lastRenew = Date.now();
  return async () => {
    if (Date.now() - lastRenew < everyMs) return;
    lastRenew = Date.now();
    if (!(await renewRegionLease(pool, table, lease))) throw lost();
  };
}

/**
 * Gives back a region's reconciliation lease without recording a finish (a scan for orphans
 * only is not a reconciliation). Only while `holder` still holds it.
 */
export async function releaseReconcileLease(
  source: PoolSource,
  regionId: string,
  holder: string,
): Promise<void> {
  const pool = poolOf(source);
  await pool.query(
    `UPDATE region_reconciliations SET running_by = NULL, running_until = NULL WHERE region_id = $1::uuid AND running_by = $2`,
    [regionId, holder],
  );
}

export type ReconciliationResult =
  | {
      outcome: "ok";
      /** The report, as stored JSON. */
      report: unknown;
      differenceCount: number;
      repairGroupKey: string | null;
    }
  | { outcome: "failed"; error: string };

/**
 * Ends `holder`'s reconciliation: the lease is given back and the outcome recorded (a
 * failure keeps the last repair group). Returns when it finished (now, also when the lease
 * was lost meanwhile and nothing was written).
 */
export async function finishReconciliation(
  source: PoolSource,
  regionId: string,
  holder: string,
  result: ReconciliationResult,
): Promise<Date> {
  const pool = poolOf(source);
  const { rows } = await pool.query<{ finished_at: Date }>(
    `UPDATE region_reconciliations
        SET running_by = NULL, running_until = NULL, finished_at = now(), updated_at = now(),
            outcome = $3, error = $4, difference_count = $5, report = $6::jsonb,
            repair_group_key = COALESCE($7, repair_group_key)
      WHERE region_id = $1::uuid AND running_by = $2
      RETURNING finished_at`,
    result.outcome === "ok"
      ? [
          regionId,
          holder,
          "ok",
          null,
          result.differenceCount,
          JSON.stringify(result.report),
          result.repairGroupKey,
        ]
      : [regionId, holder, "failed", result.error.slice(0, 2000), 0, "{}", null],
  );
  return rows[0]?.finished_at ?? new Date();
}

export type SpendSyncResult =
  { ok: true; startedAt: Date; teamsRead: number; keysRead: number } | { ok: false; error: string };

/**
 * Ends `holder`'s spend sync: the lease is given back and the outcome recorded (a failure
 * keeps the last good sync's time and counts).
 */
export async function finishSpendSync(
  source: PoolSource,
  regionId: string,
  holder: string,
  result: SpendSyncResult,
): Promise<void> {
  const pool = poolOf(source);
  await pool.query(
    `UPDATE region_spend_syncs
        SET running_by = NULL, running_until = NULL, finished_at = now(), updated_at = now(),
            outcome = $3, error = $4,
            last_ok_at = COALESCE($5::timestamptz, last_ok_at),
            teams_read = COALESCE($6::int, teams_read), keys_read = COALESCE($7::int, keys_read)
      WHERE region_id = $1::uuid AND running_by = $2`,
    result.ok
      ? [regionId, holder, "ok", null, result.startedAt, result.teamsRead, result.keysRead]
      : [regionId, holder, "failed", result.error.slice(0, 2000), null, null, null],
  );
}
