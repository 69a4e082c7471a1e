import { z } from "zod";
import { ZId } from "../shared.schema.ts";

/** A billing period longer than this is refused (the report reads every point in it). */
const MAX_REPORT_DAYS = 366;

export const ZSpendHistoryInput = z.strictObject({
  teamId: ZId,
  days: z.number().int().min(1).max(366).default(30),
});

export const ZSpendHistoryOutput = z.object({
  /** Oldest first, one entry per UTC day; `spendUsd` null on a day with no reading. */
  days: z.array(z.object({ day: z.iso.date(), spendUsd: z.number().nullable() })),
});

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
