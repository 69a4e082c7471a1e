/**
 * teams.unblock: lifts the team's manual block, if placed at the caller's level or below
 * (workflows/teams/block.ts); an `expired` block stays until paid.
 */
import { teamProcedure } from "../../trpc/init.ts";
import { setTeamManualBlock } from "../../workflows/teams/block.ts";
import { ZTeamBlockOutput, ZUnblockTeamInput } from "./unblock.schema.ts";

export const unblock = teamProcedure("manage", ZUnblockTeamInput)
  .output(ZTeamBlockOutput)
  .mutation(({ ctx }) => setTeamManualBlock(ctx, null));
