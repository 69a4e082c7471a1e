/**
 * One reconciliation of a region: take the region's lease (one reconciler per region across
 * every API instance and worker), stream the scan, optionally queue the repairs as it goes,
 * and keep the report as the region's last one. Also the explicit orphan deletion.
 *
 * The lease is a row in region_reconciliations (holder + expiry, renewed while the scan
 * runs) rather than an advisory lock: a lock would pin a pooled connection for minutes,
 * and the embedded database has a single one.
 */
import crypto from "node:crypto";
import {
  differenceCount,
  gatehouseKeyIdOf,
  gatehouseKeyMetadata,
  type LiteLLMJobSpec,
  type ReconcileReport,
} from "@gatehouse/core";
import { enqueueJobs, type Database, type NewJob, type Prisma } from "@gatehouse/db";
import { isLiteLLMError, type LiteLLMClient } from "@gatehouse/litellm";
import { scanRegion, type Difference } from "./scan.ts";

export const LEASE_MS = 60_000;
const RENEW_EVERY_MS = 10_000;
/** Repair jobs are written in batches of this many, each in one transaction. */
const JOB_BATCH = 500;

export class ReconcileBusyError extends Error {
  override readonly name = "ReconcileBusyError";
}

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
  const { rowCount } = await db.pool.query(
    `INSERT INTO region_reconciliations (region_id, running_by, running_until, started_at, updated_at)
     VALUES ($1::uuid, $2, now() + make_interval(secs => $3::double precision / 1000), now(), now())
     ON CONFLICT (region_id) DO UPDATE
        SET running_by = EXCLUDED.running_by, running_until = EXCLUDED.running_until,
            started_at = now(), updated_at = now()
      WHERE (region_reconciliations.running_until IS NULL OR region_reconciliations.running_until < now())
        AND ($4::double precision IS NULL OR region_reconciliations.finished_at IS NULL
             OR region_reconciliations.finished_at < now() - make_interval(secs => $4::double precision / 1000))`,
    [regionId, holder, LEASE_MS, options.unlessFinishedWithinMs ?? null],
  );
  return (rowCount ?? 0) > 0;
}

async function renewLease(db: Database, regionId: string, holder: string): Promise<void> {
  const { rowCount } = await db.pool.query(
    `UPDATE region_reconciliations SET running_until = now() + make_interval(secs => $3::double precision / 1000)
      WHERE region_id = $1::uuid AND running_by = $2`,
    [regionId, holder, LEASE_MS],
  );
  // Lost it (we stalled past the lease and another reconciler took over): stop, do not
  // write a report over theirs.
  if ((rowCount ?? 0) === 0)
    throw new ReconcileBusyError("the reconciliation lease was lost to another reconciler");
}

async function finish(
  db: Database,
  regionId: string,
  holder: string,
  result:
    | { outcome: "ok"; report: ReconcileReport; repairGroupKey: string | null }
    | { outcome: "failed"; error: string },
): Promise<Date> {
  const { rows } = await db.pool.query<{ finished_at: Date }>(
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
          differenceCount(result.report),
          JSON.stringify(result.report),
          result.repairGroupKey,
        ]
      : [regionId, holder, "failed", result.error.slice(0, 2000), 0, "{}", null],
  );
  return rows[0]?.finished_at ?? new Date();
}

/** The jobs that bring one difference back in step (orphans: none, they are only reported). */
export function repairJobs(regionId: string, groupKey: string, difference: Difference): NewJob[] {
  const job = (spec: Omit<LiteLLMJobSpec, "groupKey" | "stage" | "regionId">): NewJob => ({
    kind: spec.kind,
    payload: spec.payload,
    apiKeyId: spec.apiKeyId,
    groupKey,
    stage: 0,
    regionId,
  });
  switch (difference.kind) {
    case "team_missing":
      return [
        job({
          kind: "litellm.ensureTeam",
          payload: { teamId: difference.team.litellmTeamId, teamAlias: difference.team.name },
          apiKeyId: null,
        }),
      ];
    case "key_missing": {
      const { key, expected } = difference;
      // Without its secret a key cannot be re-created as the same key: reported only.
      if (key.secretSealed === null) return [];
      return [
        job({
          kind: "litellm.restoreKey",
          payload: {
            keyToken: key.token,
            secretSealed: key.secretSealed,
            teamId: expected.litellmTeamId,
            teamAlias: key.teamName,
            keyAlias: expected.keyAlias,
            ownerUserId: key.creatorId ?? "gatehouse-service",
            metadata: gatehouseKeyMetadata(key.id, key.teamId),
          },
          apiKeyId: key.id,
        }),
      ];
    }
    case "key_wrong_team":
    case "alias_drift": {
      const { key, expected, actual } = difference;
      return [
        job({
          kind: "litellm.moveKey",
          payload: {
            keyToken: key.token,
            teamId: expected.litellmTeamId,
            teamAlias: key.teamName,
            keyAlias: expected.keyAlias,
            ownerUserId: actual.userId ?? key.creatorId,
          },
          apiKeyId: key.id,
        }),
      ];
    }
    case "orphan_key":
      return [];
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
  onStart?: (tx: Prisma.TransactionClient, repairGroupKey: string | null) => Promise<void>;
  /** Wakes a worker when repair jobs were queued. */
  nudge?: () => void;
  scanOptions?: { dbPageSize?: number; readAhead?: number };
  /** Periodic runs: skip (busy) when another reconciliation finished this recently. */
  unlessFinishedWithinMs?: number;
}

/** Runs one reconciliation under the region's lease; throws ReconcileBusyError if held. */
export async function reconcileRegion(run: ReconcileRun): Promise<ReconcileOutcome> {
  const { db, region, holder } = run;
  const claimOptions =
    run.unlessFinishedWithinMs === undefined
      ? {}
      : { unlessFinishedWithinMs: run.unlessFinishedWithinMs };
  if (!(await claimLease(db, region.id, holder, claimOptions))) {
    throw new ReconcileBusyError(`region ${region.name} is being reconciled right now`);
  }
  const repairGroupKey = run.repair ? `reconcile:${region.id}:${crypto.randomUUID()}` : null;
  let repairQueued = 0;
  let lastRenew = Date.now();
  try {
    if (run.onStart) {
      const onStart = run.onStart;
      await db.prisma.$transaction((tx) => onStart(tx, repairGroupKey));
    }
    const report = await scanRegion({ db, client: run.client }, region, {
      ...run.scanOptions,
      ...(run.examplesPerKind !== undefined ? { examplesPerKind: run.examplesPerKind } : {}),
      heartbeat: async () => {
        if (Date.now() - lastRenew < RENEW_EVERY_MS) return;
        lastRenew = Date.now();
        await renewLease(db, region.id, holder);
      },
      ...(repairGroupKey
        ? {
            onDifferences: async (differences: Difference[]) => {
              const jobs = differences.flatMap((d) => repairJobs(region.id, repairGroupKey, d));
              for (let i = 0; i < jobs.length; i += JOB_BATCH) {
                const batch = jobs.slice(i, i + JOB_BATCH);
                repairQueued += await db.prisma.$transaction((tx) => enqueueJobs(tx, batch));
              }
              if (jobs.length) run.nudge?.();
            },
          }
        : {}),
    });
    const finishedAt = await finish(db, region.id, holder, {
      outcome: "ok",
      report,
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
    await finish(db, region.id, holder, { outcome: "failed", error: message }).catch(
      () => undefined,
    );
    throw error;
  }
}

/**
 * Proxy keys that carry Gatehouse's metadata but that Gatehouse does not know, among
 * `tokens`: each is looked up on the proxy (gone already: skipped) and in Gatehouse.
 */
export async function confirmOrphans(
  db: Database,
  client: LiteLLMClient,
  tokens: readonly string[],
): Promise<Array<{ token: string; gatehouseKeyId: string }>> {
  const unique = [...new Set(tokens)];
  const { rows } = await db.pool.query<{ token: string }>(
    `SELECT litellm_key_id AS token FROM api_keys WHERE litellm_key_id = ANY($1::text[])`,
    [unique],
  );
  const known = new Set(rows.map((r) => r.token));
  const confirmed: Array<{ token: string; gatehouseKeyId: string }> = [];
  for (const token of unique) {
    if (known.has(token)) continue;
    const info = await client.keyInfo(token).catch((error: unknown) => {
      if (isLiteLLMError(error) && error.reason === "key_not_found") return null;
      throw error;
    });
    const gatehouseKeyId = info ? gatehouseKeyIdOf(info.metadata) : null;
    if (gatehouseKeyId !== null) confirmed.push({ token, gatehouseKeyId });
  }
  return confirmed;
}

/** The delete job for one orphan (bound to the Gatehouse key id it names, when it is one). */
export function orphanDeleteJob(
  regionId: string,
  groupKey: string,
  orphan: { token: string; gatehouseKeyId: string },
): NewJob {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(
    orphan.gatehouseKeyId,
  );
  return {
    kind: "litellm.deleteKey",
    payload: { keyToken: orphan.token },
    regionId,
    groupKey,
    stage: 0,
    apiKeyId: uuid ? orphan.gatehouseKeyId : null,
  };
}
