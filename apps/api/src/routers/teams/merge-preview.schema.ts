/** teams.mergePreview's output: what teams.merge would do with the same input. */
import { z } from "zod";
import { ZId } from "../shared.schema.ts";
import { ZMergeStrategy } from "./merge.schema.ts";
import { ZTeamRole } from "./shared.schema.ts";

export { ZMergeInput as ZMergePreviewInput } from "./merge.schema.ts";

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
