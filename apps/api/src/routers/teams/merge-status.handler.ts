/** teams.mergeStatus: a merge's progress on the proxies (workflows/teams/merge-status.ts). */
import { adminProcedure } from "../../trpc/init.ts";
import { mergeStatusView } from "../../workflows/teams/merge-status.ts";
import { ZMergeStatus, ZMergeStatusInput } from "./merge-status.schema.ts";

export const mergeStatus = adminProcedure
  .input(ZMergeStatusInput)
  .output(ZMergeStatus)
  .query(({ ctx, input }) => mergeStatusView(ctx, input.mergeId));
