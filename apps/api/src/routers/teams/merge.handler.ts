/**
 * teams.merge (system admins and admin-scoped tokens): moves the source team's members and
 * keys into the target and ends the source (workflows/teams/merge.ts).
 */
import { adminProcedure } from "../../trpc/init.ts";
import { mergeTeams } from "../../workflows/teams/merge.ts";
import { ZMergeInput, ZMergeResult } from "./merge.schema.ts";

export const merge = adminProcedure
  .input(ZMergeInput)
  .output(ZMergeResult)
  .mutation(({ ctx, input }) => mergeTeams(ctx, input));
