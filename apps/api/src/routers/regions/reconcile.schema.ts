import { z } from "zod";
import { ZDateTime, ZId } from "../shared.schema.ts";
import { ZProgress, ZReconcileReport } from "./reconcile-report.schema.ts";

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
