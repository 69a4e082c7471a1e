/** What the teams and keys halves of a region's scan share. */
import type { ReconcileReport, TProductLimits } from "@gatehouse/core";
import type { Database } from "@gatehouse/db";
import type { LiteLLMClient } from "@gatehouse/litellm";
import type { Difference } from "./difference.ts";

/** Candidates are confirmed (and differences compared) this many at a time. */
export const BATCH = 100;
/** Point lookups on the proxy in flight at once. */
export const LOOKUP_CONCURRENCY = 8;

export interface ScanContext {
  db: Database;
  client: LiteLLMClient;
  region: { id: string; name: string };
  /** Counted into as the scan goes. */
  report: ReconcileReport;
  /** Rows per Gatehouse page. */
  dbPageSize: number;
  /** Proxy pages fetched ahead. */
  depth: number;
  /** The entitlement of a team without products. */
  defaults: TProductLimits;
  /** Called between pages, e.g. to renew a lease. */
  heartbeat: () => Promise<void>;
  /** Records confirmed differences in the report and hands them on. */
  emit: (differences: Difference[]) => Promise<void>;
}

/**
 * Found differences a queued job will already repair are counted as in flight, not reported:
 * `busy` holds the ids (as `idOf` reads them) with such a job; the rest are emitted.
 */
export async function emitUnlessInFlight<T>(
  scan: Pick<ScanContext, "report" | "emit">,
  found: readonly T[],
  busy: ReadonlySet<string>,
  idOf: (item: T) => string,
  toDifference: (item: T) => Difference,
): Promise<void> {
  const open = found.filter((item) => !busy.has(idOf(item)));
  scan.report.inFlight += found.length - open.length;
  await scan.emit(open.map(toDifference));
}
