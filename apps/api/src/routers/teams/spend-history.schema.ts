import { z } from "zod";
import { ZId } from "../shared.schema.ts";

export const ZSpendHistoryInput = z.strictObject({
  teamId: ZId,
  days: z.number().int().min(1).max(366).default(30),
});

export const ZSpendHistoryOutput = z.object({
  /** Oldest first, one entry per UTC day; `spendUsd` null on a day with no reading. */
  days: z.array(z.object({ day: z.iso.date(), spendUsd: z.number().nullable() })),
});
