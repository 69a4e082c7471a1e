/** What regions.reconcile and reconcileStatus read besides the scan: the region, the last run, repair progress. */
import type { Database } from "../client.ts";
import type { RegionReconciliation } from "../generated/prisma/client.ts";
import { jobStatusCounts } from "../jobs/index.ts";

/** The region's id and name, or null when there is no such region. */
export async function regionToReconcile(
  db: Pick<Database, "prisma">,
  regionId: string,
): Promise<{ id: string; name: string } | null> {
  return db.prisma.region.findUnique({
    where: { id: regionId },
    select: { id: true, name: true },
  });
}

/** The region's lease and last reconciliation, or null when it was never reconciled. */
export async function lastReconciliation(
  db: Pick<Database, "prisma">,
  regionId: string,
): Promise<RegionReconciliation | null> {
  return db.prisma.regionReconciliation.findUnique({ where: { regionId } });
}

export interface RepairProgress {
  total: number;
  done: number;
  failed: number;
  /** Queued or running. */
  pending: number;
}

/** How far the repair jobs of a group went. */
export async function repairProgress(
  db: Pick<Database, "pool">,
  groupKey: string,
): Promise<RepairProgress> {
  const rows = await jobStatusCounts(db.pool, groupKey);
  const n = (status: string): number => rows.find((r) => r.status === status)?.n ?? 0;
  const total = rows.reduce((sum, r) => sum + r.n, 0);
  return { total, done: n("DONE"), failed: n("FAILED"), pending: n("PENDING") + n("RUNNING") };
}
