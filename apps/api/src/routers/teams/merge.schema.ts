/**
 * teams.merge's input (also teams.mergePreview's) and output. The preview's output is in
 * merge-preview.schema.ts, the status view's in merge-status.schema.ts.
 */
import { ZMergeStrategy } from "@gatehouse/core";
import { z } from "zod";
import { ZId } from "../shared.schema.ts";

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
/** The input as parsed (defaults applied). */
export type TMergeRequest = z.output<typeof ZMergeInput>;

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
