/** teams.mergeStatus: a merge's progress on the proxies, per key. */
import { z } from "zod";
import { ZDateTime, ZId, zCounts } from "../shared.schema.ts";
import { ZMergeStrategy } from "./merge.schema.ts";

export const ZKeySyncState = z.enum([
  "pending",
  "running",
  "done",
  "failed",
  "waiting_region_inactive",
]);

export const ZMergeStatus = z.object({
  mergeId: ZId,
  status: z.enum(["SYNCING", "DONE", "FAILED"]),
  sourceTeam: z.object({ id: ZId, name: z.string() }),
  targetTeamId: ZId,
  strategy: ZMergeStrategy,
  createdAt: ZDateTime,
  completedAt: ZDateTime.nullable(),
  jobs: zCounts("total", "done", "pending", "running", "failed", "waiting"),
  keys: z.array(
    z.object({
      keyId: ZId,
      name: z.string(),
      regionName: z.string(),
      action: z.enum(["move", "delete"]),
      state: ZKeySyncState,
      attempts: z.number().int(),
      lastError: z.string().nullable(),
      nextAttemptAt: ZDateTime.nullable(),
    }),
  ),
});
export type TMergeStatus = z.infer<typeof ZMergeStatus>;

export const ZMergeStatusInput = z.strictObject({ mergeId: ZId });
