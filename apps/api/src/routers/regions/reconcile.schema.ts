import { RECONCILE_KINDS } from "@gatehouse/core";
import { z } from "zod";
import { ZDateTime, ZId } from "../shared.schema.ts";

export const ZKind = z.enum(RECONCILE_KINDS);
export const byKind = <T extends z.ZodType>(schema: T) =>
  z.object(
    Object.fromEntries(RECONCILE_KINDS.map((k) => [k, schema])) as Record<
      (typeof RECONCILE_KINDS)[number],
      T
    >,
  );

export const ZExample = z.object({
  kind: ZKind,
  teamId: z.string().nullable(),
  keyId: z.string().nullable(),
  keyName: z.string().nullable(),
  keyTokenPrefix: z.string().nullable(),
  expected: z.string().nullable(),
  actual: z.string().nullable(),
  restorable: z.boolean().nullable(),
});

export const ZReconcileReport = z.object({
  counts: byKind(z.number().int()),
  examples: byKind(z.array(ZExample)),
  notRestorable: z.number().int(),
  scanned: z.object({
    proxyTeams: z.number().int(),
    proxyKeys: z.number().int(),
    gatehouseTeams: z.number().int(),
    gatehouseKeys: z.number().int(),
  }),
  inFlight: z.number().int(),
});

export const ZProgress = z.object({
  total: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
  pending: z.number().int(),
});

export const ZReconcileResult = z.object({
  regionId: ZId,
  inStep: z.boolean(),
  differenceCount: z.number().int(),
  report: ZReconcileReport,
  finishedAt: ZDateTime,
  repair: z.object({ queued: z.number().int(), progress: ZProgress }).nullable(),
});

export const ZReconcileInput = z.strictObject({
  regionId: ZId,
  repair: z.boolean().default(false),
  examplesPerKind: z.number().int().min(0).max(100).default(20),
});

export const ZReconcileStatusInput = z.strictObject({ regionId: ZId });

export const ZReconcileStatusOutput = z.object({
  regionId: ZId,
  running: z.boolean(),
  lastReconciledAt: ZDateTime.nullable(),
  outcome: z.enum(["ok", "failed"]).nullable(),
  error: z.string().nullable(),
  differenceCount: z.number().int().nullable(),
  report: ZReconcileReport.nullable(),
  repair: ZProgress.nullable(),
});

export const ZDeleteOrphanKeysInput = z.strictObject({
  regionId: ZId,
  /** LiteLLM key ids (sha256 hex) to delete; omitted: every orphan the region's proxy holds. */
  keyTokens: z
    .array(
      z.string().regex(/^[0-9a-f]{64}$/, { error: "must be a LiteLLM key id (64 hex digits)" }),
    )
    .min(1)
    .max(1000)
    .optional(),
});

export const ZDeleteOrphanKeysOutput = z.object({
  queued: z.number().int(),
  groupKey: z.string().nullable(),
});
