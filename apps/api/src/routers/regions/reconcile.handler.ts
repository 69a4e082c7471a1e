/**
 * regions.reconcile / reconcileStatus / deleteOrphanKeys (system admins): prove a region's
 * proxy is in step with Gatehouse, queue the repairs, and delete orphan keys on request.
 * The work itself is in src/reconcile; these handlers parse, authorize, run and map.
 */
import crypto from "node:crypto";
import { DomainError, notFound, type ReconcileReport } from "@gatehouse/core";
import {
  enqueueJobs,
  jobStatusCounts,
  RegionBusyError,
  releaseReconcileLease,
} from "@gatehouse/db";
import { isLiteLLMError } from "@gatehouse/litellm";
import type { z } from "zod";
import { writeAudit } from "../../audit/write.ts";
import { regionClientsFor } from "../../litellm/region-clients.ts";
import { openingKeys } from "../../secrets.ts";
import {
  claimLease,
  confirmOrphans,
  orphanDeleteJob,
  reconcileRegion,
} from "../../reconcile/run.ts";
import { scanRegion } from "../../reconcile/scan.ts";
import type { Context } from "../../context.ts";
import { adminProcedure } from "../../trpc/init.ts";
import { toIsoOrNull } from "../shared.schema.ts";
import type { ZProgress } from "./reconcile.schema.ts";
import {
  ZReconcileReport,
  ZReconcileResult,
  ZReconcileInput,
  ZReconcileStatusInput,
  ZReconcileStatusOutput,
  ZDeleteOrphanKeysInput,
  ZDeleteOrphanKeysOutput,
} from "./reconcile.schema.ts";

async function loadRegion(ctx: Context, regionId: string): Promise<{ id: string; name: string }> {
  const region = await ctx.db.prisma.region.findUnique({
    where: { id: regionId },
    select: { id: true, name: true },
  });
  if (!region) throw notFound("Region", { field: "regionId" });
  return region;
}

function holderOf(ctx: Context): string {
  return `api:${ctx.requestId}`;
}

/** A proxy that cannot be read is the caller's 503, with what LiteLLM said. */
function mapFailure(error: unknown, regionName: string): never {
  if (error instanceof RegionBusyError)
    throw new DomainError(
      "CONFLICT",
      `Region ${regionName} is being reconciled right now; try again shortly`,
    );
  if (isLiteLLMError(error)) {
    throw new DomainError(
      "UNAVAILABLE",
      `LiteLLM (region ${regionName}) could not be read: ${error.kind}/${error.reason}`,
    );
  }
  throw error;
}

async function repairProgress(ctx: Context, groupKey: string): Promise<z.infer<typeof ZProgress>> {
  const rows = await jobStatusCounts(ctx.db.pool, groupKey);
  const n = (status: string): number => rows.find((r) => r.status === status)?.n ?? 0;
  const total = rows.reduce((sum, r) => sum + r.n, 0);
  return { total, done: n("DONE"), failed: n("FAILED"), pending: n("PENDING") + n("RUNNING") };
}

export const reconcile = adminProcedure
  .input(ZReconcileInput)
  .output(ZReconcileResult)
  .mutation(async ({ ctx, input }) => {
    const region = await loadRegion(ctx, input.regionId);
    const client = await regionClientsFor(ctx.db, openingKeys(ctx.config)).get(region.id);
    let outcome;
    try {
      outcome = await reconcileRegion({
        db: ctx.db,
        client,
        region,
        holder: holderOf(ctx),
        repair: input.repair,
        examplesPerKind: input.examplesPerKind,
        defaultEntitlement: ctx.config.defaultEntitlement,
        // Audited when it starts, with the group key its repair jobs will carry.
        onStart: (tx, repairGroupKey) =>
          writeAudit(tx, ctx, {
            action: "region.reconcile",
            targetType: "region",
            targetId: region.id,
            details: { repair: input.repair, repairGroupKey },
          }),
        ...(ctx.jobs ? { nudge: () => ctx.jobs?.nudge() } : {}),
      });
    } catch (error) {
      mapFailure(error, region.name);
    }
    return {
      regionId: region.id,
      inStep: outcome.differenceCount === 0,
      differenceCount: outcome.differenceCount,
      report: outcome.report,
      finishedAt: outcome.finishedAt.toISOString(),
      repair: outcome.repairGroupKey
        ? {
            queued: outcome.repairQueued,
            progress: await repairProgress(ctx, outcome.repairGroupKey),
          }
        : null,
    };
  });

export const reconcileStatus = adminProcedure
  .input(ZReconcileStatusInput)
  .output(ZReconcileStatusOutput)
  .query(async ({ ctx, input }) => {
    await loadRegion(ctx, input.regionId);
    const row = await ctx.db.prisma.regionReconciliation.findUnique({
      where: { regionId: input.regionId },
    });
    const now = ctx.clock.now();
    const outcome = row?.outcome === "ok" || row?.outcome === "failed" ? row.outcome : null;
    return {
      regionId: input.regionId,
      running: Boolean(row?.runningBy && row.runningUntil && row.runningUntil > now),
      lastReconciledAt: toIsoOrNull(row?.finishedAt ?? null),
      outcome,
      error: row?.error ?? null,
      differenceCount: outcome === "ok" ? row!.differenceCount : null,
      report:
        outcome === "ok" ? (ZReconcileReport.parse(row!.report) satisfies ReconcileReport) : null,
      repair: row?.repairGroupKey ? await repairProgress(ctx, row.repairGroupKey) : null,
    };
  });

export const deleteOrphanKeys = adminProcedure
  .input(ZDeleteOrphanKeysInput)
  .output(ZDeleteOrphanKeysOutput)
  .mutation(async ({ ctx, input }) => {
    const region = await loadRegion(ctx, input.regionId);
    const client = await regionClientsFor(ctx.db, openingKeys(ctx.config)).get(region.id);
    const groupKey = `orphans:${region.id}:${crypto.randomUUID()}`;
    let orphans: Array<{ token: string; gatehouseKeyId: string }>;
    try {
      if (input.keyTokens) {
        // Only what is still an orphan now: a token Gatehouse knows, or a key without our
        // metadata, is never deleted by this call.
        orphans = await confirmOrphans(ctx.db, client, input.keyTokens);
      } else {
        const holder = holderOf(ctx);
        if (!(await claimLease(ctx.db, region.id, holder))) throw new RegionBusyError("busy");
        orphans = [];
        try {
          // Bounded by the number of orphans (a few tokens each), not by the region's size.
          await scanRegion({ db: ctx.db, client }, region, {
            examplesPerKind: 0,
            onDifferences: (differences) => {
              for (const d of differences)
                if (d.kind === "orphan_key")
                  orphans.push({ token: d.token, gatehouseKeyId: d.gatehouseKeyId });
              return Promise.resolve();
            },
          });
        } finally {
          await releaseReconcileLease(ctx.db.pool, region.id, holder);
        }
      }
    } catch (error) {
      mapFailure(error, region.name);
    }
    await ctx.db.prisma.$transaction(async (tx) => {
      await enqueueJobs(
        tx,
        orphans.map((o) => orphanDeleteJob(region.id, groupKey, o)),
      );
      await writeAudit(tx, ctx, {
        action: "region.deleteOrphanKeys",
        targetType: "region",
        targetId: region.id,
        details: {
          count: orphans.length,
          // Prefixes only: the audit trail names the keys without their full ids.
          keyTokenPrefixes: orphans.slice(0, 100).map((o) => o.token.slice(0, 12)),
          gatehouseKeyIds: orphans.slice(0, 100).map((o) => o.gatehouseKeyId),
          groupKey,
        },
      });
    });
    if (orphans.length) ctx.jobs?.nudge();
    return { queued: orphans.length, groupKey: orphans.length ? groupKey : null };
  });
