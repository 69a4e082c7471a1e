/**
 * A reconciliation's lease on a region: its row in region_reconciliations (holder + expiry,
 * renewed while the scan runs, and the last report), over the shared region lease mechanics.
 * A row rather than an advisory lock: a lock would pin a pooled connection for minutes, and
 * the embedded database has a single one.
 */
import type { Database } from "../client.ts";
import {
  claimRegionLease,
  finishReconciliation,
  leaseHeartbeat,
  releaseReconcileLease,
  type ReconciliationResult,
} from "../regions/leases.ts";

export interface ReconcileLease {
  /**
   * Takes the lease, or false while another holds it (or, with `unlessFinishedWithinMs`,
   * when a reconciliation finished that recently).
   */
  claim(unlessFinishedWithinMs: number | null): Promise<boolean>;
  /** Renews as the scan goes; throws `lost()` when another reconciler took the lease over. */
  heartbeat(lost: () => Error): () => Promise<void>;
  /** Gives the lease back and records the outcome; returns when it finished. */
  finish(result: ReconciliationResult): Promise<Date>;
  /** Gives the lease back without recording a finish (a scan for orphans only). */
  release(): Promise<void>;
}

export function reconcileLease(
  db: Pick<Database, "pool">,
  lease: { regionId: string; holder: string; leaseMs: number },
): ReconcileLease {
  const table = "region_reconciliations";
  return {
    claim: (unlessFinishedWithinMs) =>
      claimRegionLease(db.pool, table, { ...lease, unlessFinishedWithinMs }),
    heartbeat: (lost) => leaseHeartbeat(db.pool, table, lease, lost),
    finish: (result) => finishReconciliation(db.pool, lease.regionId, lease.holder, result),
    release: () => releaseReconcileLease(db.pool, lease.regionId, lease.holder),
  };
}
