/** The reconcile report and repair progress, as regions.reconcile and reconcileStatus answer them. */
import { RECONCILE_KINDS } from "@gatehouse/core";
import { z } from "zod";
import { zCounts } from "../shared.schema.ts";

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
  scanned: zCounts("proxyTeams", "proxyKeys", "gatehouseTeams", "gatehouseKeys"),
  inFlight: z.number().int(),
});

export const ZProgress = zCounts("total", "done", "failed", "pending");
