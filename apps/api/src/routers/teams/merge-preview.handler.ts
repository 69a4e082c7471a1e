/** teams.mergePreview: what teams.merge would do with this input (workflows/teams/merge.ts). */
import { adminProcedure } from "../../trpc/init.ts";
import { previewMerge } from "../../workflows/teams/merge.ts";
import { ZMergePreview, ZMergePreviewInput } from "./merge-preview.schema.ts";

export const mergePreview = adminProcedure
  .input(ZMergePreviewInput)
  .output(ZMergePreview)
  .query(({ ctx, input }) => previewMerge(ctx, input));
