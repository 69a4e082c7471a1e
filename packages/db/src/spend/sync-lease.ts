/**
 * The spend sync's lease on a region: its row in region_spend_syncs (holder + expiry, renewed
 * while the sync reads, and the last outcome), over the shared region lease mechanics.
 */
import type { Database } from "../client.ts";
import {
  claimRegionLease,
  finishSpendSync,
  leaseHeartbeat,
  type SpendSyncResult,
} from "../regions/leases.ts";

export interface SpendSyncLease {
  /**
   * Takes the lease, or false while another holds it (or, with `unlessFinishedWithinMs`,
   * when a sync finished that recently).
   */
  claim(unlessFinishedWithinMs: number | null): Promise<boolean>;
  /** Renews as the sync goes; throws `lost()` when another took the lease over. */
  heartbeat(lost: () => Error): () => Promise<void>;
  /** Gives the lease back and records the outcome. */
  finish(result: SpendSyncResult): Promise<void>;
}

export function spendSyncLease(
  db: Pick<Database, "pool">,
  lease: { regionId: string; holder: string; leaseMs: number },
): SpendSyncLease {
  const table = "region_spend_syncs";
  return {
    claim: (unlessFinishedWithinMs) =>
      claimRegionLease(db.pool, table, { ...lease, unlessFinishedWithinMs }),
    heartbeat: (lost) => leaseHeartbeat(db.pool, table, lease, lost),
    finish: (result) => finishSpendSync(db.pool, lease.regionId, lease.holder, result),
  };
}
