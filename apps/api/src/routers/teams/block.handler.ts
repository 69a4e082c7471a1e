/**
 * teams.block: cuts a team off on every region's proxy, by hand (workflows/teams/block.ts).
 * System and organization admins only (teamProcedure "manage").
 */
import { teamProcedure } from "../../trpc/init.ts";
import { setTeamManualBlock } from "../../workflows/teams/block.ts";
import { ZBlockTeamInput, ZTeamBlockOutput } from "./block.schema.ts";

export const block = teamProcedure("manage", ZBlockTeamInput)
  .output(ZTeamBlockOutput)
  .mutation(({ ctx, input }) => setTeamManualBlock(ctx, { note: input.reason ?? null }));
