import { z } from "zod";
import { ZId } from "../shared.schema.ts";

/** A billing period longer than this is refused (the report reads every point in it). */
const MAX_REPORT_DAYS = 366;

export const ZSpendReportInput = z
  .strictObject({ from: z.iso.date(), to: z.iso.date(), organizationId: ZId.optional() })
  .refine((i) => i.from <= i.to, { path: ["to"], error: "must not be before from" })
  .refine((i) => (Date.parse(i.to) - Date.parse(i.from)) / 86_400_000 < MAX_REPORT_DAYS, {
    path: ["to"],
    error: `the period may span at most ${MAX_REPORT_DAYS} days`,
  });

export const ZSpendReportOutput = z.object({
  csv: z.string(),
  teams: z.number().int(),
  /** Sum of the rows' spend (every team in scope, ended teams included), USD. */
  totalUsd: z.number(),
  from: z.iso.date(),
  to: z.iso.date(),
  currency: z.literal("USD"),
});
