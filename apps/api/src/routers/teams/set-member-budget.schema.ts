import { z } from "zod";
import { ZId } from "../shared.schema.ts";

export const ZSetMemberBudgetInput = z.strictObject({
  teamId: ZId,
  userId: ZId,
  /** USD the member may spend inside the team, across their keys; null clears it. */
  maxBudgetUsd: z.number().min(0).max(1e9).nullable(),
});
export const ZSetMemberBudgetOutput = z.object({
  teamId: ZId,
  userId: ZId,
  maxBudgetUsd: z.number().nullable(),
});
