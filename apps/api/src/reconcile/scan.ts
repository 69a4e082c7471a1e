/**
 * Streams a region's proxy and Gatehouse side by side and reports how they differ, with
 * flat memory whatever the region's size: two sorted merge-joins, one over teams (proxy
 * `/v2/team/list` by team_id, Gatehouse's teams with keys in the region by id) and one over
 * keys (proxy `/key/list` by token, Gatehouse's keys of the region by token), each holding a
 * few pages at a time.
 *
 * The proxy's listings are offset-paged and may shift under concurrent writes, and its sort
 * order is its database's collation, so the join's verdicts are only candidates: every
 * "missing" is re-checked with a point lookup (`/key/info`, `/v2/team/list?team_id=`),
 * every "orphan" against all of Gatehouse's keys, and differences whose key or team has a
 * queued job (a merge's move, a delete) are left out as in flight. A misordered or shifted
 * page therefore costs extra lookups, never a wrong verdict.
 *
 * What the proxy enforces is compared too: each Gatehouse team the proxy holds (with keys
 * in the region or not) against its entitlement and block reasons (`limits_drift`,
 * `block_drift`), and each key against its block reasons and the routes Gatehouse grants.
 */
import {
  emptyReport,
  recordDifference,
  UNLIMITED,
  type ReconcileReport,
  type TProductLimits,
} from "@gatehouse/core";
import type { Database } from "@gatehouse/db";
import type { LiteLLMClient } from "@gatehouse/litellm";
import { toExample, type Difference } from "./difference.ts";
import type { ScanContext } from "./scan-context.ts";
import { scanKeys } from "./scan-keys.ts";
import { scanTeams } from "./scan-teams.ts";

export type { Difference, GatehouseKey } from "./difference.ts";

export interface ScanOptions {
  examplesPerKind?: number;
  /** Rows per Gatehouse page (default 1000). */
  dbPageSize?: number;
  /** Proxy pages fetched ahead (default 4). */
  readAhead?: number;
  /** Called for every confirmed difference, in batches (e.g. to queue repairs). */
  onDifferences?: (differences: Difference[]) => Promise<void>;
  /** Called between pages, e.g. to renew a lease. */
  heartbeat?: () => Promise<void>;
  /** The entitlement of a team without products (config's default; unset: unlimited). */
  defaultEntitlement?: TProductLimits;
}

export async function scanRegion(
  deps: { db: Database; client: LiteLLMClient },
  region: { id: string; name: string },
  options: ScanOptions = {},
): Promise<ReconcileReport> {
  const limit = options.examplesPerKind ?? 20;
  const report = emptyReport();
  const scan: ScanContext = {
    db: deps.db,
    client: deps.client,
    region,
    report,
    dbPageSize: options.dbPageSize ?? 1000,
    depth: options.readAhead ?? 4,
    defaults: options.defaultEntitlement ?? UNLIMITED,
    heartbeat: options.heartbeat ?? (async () => {}),
    emit: async (differences) => {
      if (differences.length === 0) return;
      for (const d of differences) recordDifference(report, toExample(d), limit);
      await options.onDifferences?.(differences);
    },
  };
  await Promise.all([scanTeams(scan), scanKeys(scan)]);
  return report;
}
