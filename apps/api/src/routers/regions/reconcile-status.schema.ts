import { z } from "zod";
import { ZDateTime, ZId } from "../shared.schema.ts";
import { ZProgress, ZReconcileReport } from "./reconcile-report.schema.ts";

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
