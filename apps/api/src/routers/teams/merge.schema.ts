/**
 * The team-merge contract: inputs and outputs of teams.mergePreview,
 * teams.merge and teams.mergeStatus. Shared with the web app's merge dialog.
 */
import { ZMergeStrategy } from "@gatehouse/core";
import { z } from "zod";
import { ZDateTime, ZId } from "../shared.schema.ts";
import { ZTeamRole } from "./shared.schema.ts";

export { ZMergeStrategy };

export const ZMergeInput = z
  .strictObject({
    sourceTeamId: ZId,
    targetTeamId: ZId,
    strategy: ZMergeStrategy,
    /** Suffix for renamed keys; default names the source team. */
    renameSuffix: z
      .string()
      .trim()
      .min(1)
      .max(40)
      .regex(/^[A-Za-z0-9 _.-]+$/, { error: "may contain letters, digits, space, _ . and - only" })
      .optional(),
    allowCrossOrganization: z.boolean().default(false),
  })
  .refine((input) => input.sourceTeamId !== input.targetTeamId, {
    path: ["targetTeamId"],
    error: "must differ from the source team",
  });
export type TMergeInput = z.input<typeof ZMergeInput>;

const ZTeamRef = z.object({
  id: ZId,
  name: z.string(),
  organization: z.object({ id: ZId, name: z.string() }).nullable(),
  membersCount: z.number().int(),
  keysCount: z.number().int(),
});

export const ZMergeConflict = z.object({
  name: z.string(),
  sourceKeyId: ZId,
  targetKeyId: ZId,
  resolution: ZMergeStrategy,
  /** The source key's name after the merge (rename), or null (deleted / cancelled). */
  newName: z.string().nullable(),
});

export const ZMergePreview = z.object({
  source: ZTeamRef,
  target: ZTeamRef,
  strategy: ZMergeStrategy,
  crossOrganization: z.boolean(),
  blockingProducts: z.array(z.object({ id: ZId, name: z.string() })),
  conflicts: z.array(ZMergeConflict),
  members: z.array(
    z.object({
      userId: ZId,
      email: z.string(),
      sourceRole: ZTeamRole,
      targetRole: ZTeamRole.nullable(),
      resultRole: ZTeamRole,
      /** add: new in target; upgrade: role raised; keep: already there with a role at least as high. */
      action: z.enum(["add", "upgrade", "keep"]),
    }),
  ),
  keysToMove: z.array(
    z.object({
      keyId: ZId,
      name: z.string(),
      newName: z.string(),
      regionId: ZId,
      regionName: z.string(),
      regionActive: z.boolean(),
    }),
  ),
  keysToDelete: z.array(z.object({ keyId: ZId, name: z.string() })),
  warnings: z.array(z.string()),
  /** Reasons the merge would be refused as asked; empty when it can run. */
  blockers: z.array(z.string()),
});
export type TMergePreview = z.infer<typeof ZMergePreview>;

export const ZMergeResult = z.object({
  mergeId: ZId,
  status: z.enum(["SYNCING", "DONE", "FAILED"]),
  movedMembers: z.number().int(),
  movedKeys: z.number().int(),
  renamedKeys: z.number().int(),
  deletedKeys: z.number().int(),
  jobs: z.number().int(),
});
export type TMergeResult = z.infer<typeof ZMergeResult>;

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
  jobs: z.object({
    total: z.number().int(),
    done: z.number().int(),
    pending: z.number().int(),
    running: z.number().int(),
    failed: z.number().int(),
    waiting: z.number().int(),
  }),
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
