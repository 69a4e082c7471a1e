/**
 * One reconciliation of a region: take the region's lease (one reconciler per region across
 * every API instance and worker; db reconcileLease), stream the scan, optionally queue the
 * repairs as it goes, and keep the report as the region's last one. Also the jobs that
 * repair a difference or delete an orphan.
 */
import crypto from "node:crypto";
import {
  differenceCount,
  gatehouseKeyMetadata,
  jobs,
  type LiteLLMJobSpec,
  type ReconcileReport,
  type TProductLimits,
} from "@gatehouse/core";
import {
  enqueueJobs,
  reconcileLease,
  transaction,
  type Database,
  type Tx,
  REGION_LEASE_MS,
  RegionBusyError,
} from "@gatehouse/db";
import { isLiteLLMError, type LiteLLMClient } from "@gatehouse/litellm";
import type { Difference } from "./difference.ts";
import { scanRegion } from "./scan.ts";

/** Repair jobs are written in batches of this many, each in one transaction. */
const JOB_BATCH = 500;

export interface ReconcileOutcome {
  report: ReconcileReport;
  differenceCount: number;
  finishedAt: Date;
  /** Jobs queued by this run (repair), and the group key they share (progress). */
  repairQueued: number;
  repairGroupKey: string | null;
}

/**
 * Takes the region's lease for `holder`, or returns false while another holds it (or, with
 * `unlessFinishedWithinMs`, when a reconciliation finished that recently: a periodic run
 * that lost the race to another worker does not repeat its work).
 */
export async function claimLease(
  db: Database,
  regionId: string,
  holder: string,
  options: { unlessFinishedWithinMs?: number } = {},
): Promise<boolean> {
  return reconcileLease(db, { regionId, holder, leaseMs: REGION_LEASE_MS }).claim(
    options.unlessFinishedWithinMs ?? null,
  );
}

/** The jobs that bring one difference back in step (orphans: none, they are only reported). */
export function repairJobs(
  regionId: string,
  groupKey: string,
  difference: Difference,
): LiteLLMJobSpec[] {
  const at = (apiKeyId: string | null = null) => ({ regionId, groupKey, apiKeyId });
  switch (difference.kind) {
    case "team_missing":
      return [
        jobs.ensureTeam(
          { teamId: difference.team.litellmTeamId, teamAlias: difference.team.name },
          at(),
        ),
      ];
    case "key_missing": {
      const { key, expected } = difference;
      // Without its secret a key cannot be re-created as the same key: reported only.
      if (key.secretSealed === null) return [];
      return [
        jobs.restoreKey(
          {
            keyToken: key.token,
            secretSealed: key.secretSealed,
            teamId: expected.litellmTeamId,
            teamAlias: key.teamName,
            keyAlias: expected.keyAlias,
            ownerUserId: key.creatorId ?? "gatehouse-service",
            metadata: gatehouseKeyMetadata(key.id, key.teamId),
          },
          at(key.id),
        ),
      ];
    }
    case "key_wrong_team":
    case "alias_drift": {
      const { key, expected, actual } = difference;
      return [
        jobs.moveKey(
          {
            keyToken: key.token,
            teamId: expected.litellmTeamId,
            teamAlias: key.teamName,
            keyAlias: expected.keyAlias,
            ownerUserId: actual.userId ?? key.creatorId,
          },
          at(key.id),
        ),
      ];
    }
    case "orphan_key":
      return [];
    // The handlers read the team's or key's current state, so a repair pushes what
    // Gatehouse holds when it runs.
    case "limits_drift":
    case "block_drift": {
      const limits = difference.kind === "limits_drift";
      if (difference.subject === "team") {
        const team = { teamId: difference.team.litellmTeamId, gatehouseTeamId: difference.team.id };
        return [limits ? jobs.pushEntitlement(team, at()) : jobs.syncTeamBlock(team, at())];
      }
      const { token: keyToken, id: keyId } = difference.key;
      return [
        limits
          ? jobs.restrictKeyRoutes({ keyToken }, at(keyId))
          : jobs.syncKeyBlock({ keyToken, keyId }, at(keyId)),
      ];
    }
  }
}

export interface ReconcileRun {
  db: Database;
  client: LiteLLMClient;
  region: { id: string; name: string };
  holder: string;
  repair: boolean;
  examplesPerKind?: number;
  /** Written in the same transaction as the lease's first use (e.g. the audit event). */
  onStart?: (tx: Tx, repairGroupKey: string | null) => Promise<void>;
  /** Wakes a worker when repair jobs were queued. */
  nudge?: () => void;
  scanOptions?: { dbPageSize?: number; readAhead?: number };
  /** Periodic runs: skip (busy) when another reconciliation finished this recently. */
  unlessFinishedWithinMs?: number;
  /** The entitlement of teams without products (config's); unset: unlimited. */
  defaultEntitlement?: TProductLimits;
}

/** Runs one reconciliation under the region's lease; throws RegionBusyError if held. */
export async function reconcileRegion(run: ReconcileRun): Promise<ReconcileOutcome> {
  const { db, region, holder } = run;
  const lease = reconcileLease(db, { regionId: region.id, holder, leaseMs: REGION_LEASE_MS });
  if (!(await lease.claim(run.unlessFinishedWithinMs ?? null))) {
    throw new RegionBusyError(`region ${region.name} is being reconciled right now`);
  }
  const repairGroupKey = run.repair ? `reconcile:${region.id}:${crypto.randomUUID()}` : null;
  let repairQueued = 0;
  // Lost (we stalled past the lease and another reconciler took over): stop, do not write
  // a report over theirs.
  const heartbeat = lease.heartbeat(
    () => new RegionBusyError("the reconciliation lease was lost to another reconciler"),
  );
  try {
    if (run.onStart) {
      const onStart = run.onStart;
      await transaction(db, (tx) => onStart(tx, repairGroupKey));
    }
    const report = await scanRegion({ db, client: run.client }, region, {
      ...run.scanOptions,
      ...(run.examplesPerKind !== undefined ? { examplesPerKind: run.examplesPerKind } : {}),
      ...(run.defaultEntitlement ? { defaultEntitlement: run.defaultEntitlement } : {}),
      heartbeat,
      ...(repairGroupKey
        ? {
            onDifferences: async (differences: Difference[]) => {
              const jobs = differences.flatMap((d) => repairJobs(region.id, repairGroupKey, d));
              for (let i = 0; i < jobs.length; i += JOB_BATCH) {
                const batch = jobs.slice(i, i + JOB_BATCH);
                // Read after the await: team and key differences arrive concurrently, and
                // `x += await ...` would add to a stale value.
                const queued = await transaction(db, (tx) => enqueueJobs(tx, batch));
                repairQueued += queued;
              }
              if (jobs.length) run.nudge?.();
            },
          }
        : {}),
    });
    const finishedAt = await lease.finish({
      outcome: "ok",
      report,
      differenceCount: differenceCount(report),
      repairGroupKey,
    });
    return {
      report,
      differenceCount: differenceCount(report),
      finishedAt,
      repairQueued,
      repairGroupKey,
    };
  } catch (error) {
    const message = isLiteLLMError(error)
      ? `${error.kind}/${error.reason}: ${error.message}`
      : error instanceof Error
        ? error.message
        : String(error);
    await lease.finish({ outcome: "failed", error: message }).catch(() => undefined);
    throw error;
  }
}

/** The delete job for one orphan (bound to the Gatehouse key id it names, when it is one). */
export function orphanDeleteJob(
  regionId: string,
  groupKey: string,
  orphan: { token: string; gatehouseKeyId: string },
): LiteLLMJobSpec {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(
    orphan.gatehouseKeyId,
  );
  return jobs.deleteKey(
    { keyToken: orphan.token },
    { regionId, groupKey, apiKeyId: uuid ? orphan.gatehouseKeyId : null },
  );
}
