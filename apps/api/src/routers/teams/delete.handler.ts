import { notFound, preconditionFailed, teamDeleteJobs } from "@gatehouse/core";
import {
  deleteTeamRow,
  enqueueJobs,
  lockTeam,
  recordEndedTeam,
  teamKeyCount,
  teamMemberCount,
  teamRegionNames,
  transaction,
} from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { teamProcedure } from "../../trpc/init.ts";
import { ZTeamIdInput } from "./shared.schema.ts";
import { ZTeamsDeleteOutput } from "./delete.schema.ts";

/** teams.delete: a team without keys goes, here and (by queued jobs) on every proxy. */
export const remove = teamProcedure("manage", ZTeamIdInput)
  .output(ZTeamsDeleteOutput)
  .mutation(async ({ ctx, input }) => {
    await transaction(ctx.db, async (tx) => {
      // Lock the team so a key cannot be created between the check and the delete.
      const team = await lockTeam(tx, input.teamId);
      if (!team) throw notFound("Team");
      // Keys live on LiteLLM proxies too; deleting the rows here would orphan them there.
      const keys = await teamKeyCount(tx, team.id);
      if (keys > 0)
        throw preconditionFailed(`The team still has ${keys} key(s); delete them first`, { keys });
      const members = await teamMemberCount(tx, team.id);
      // Its spend points stay for the billing report, which names it from this record.
      await recordEndedTeam(tx, team, { fate: "deleted" }, ctx.clock.now());
      await deleteTeamRow(tx, team.id);
      // It owns no keys (checked above), so deleting it on the proxies takes none with it.
      await enqueueJobs(tx, teamDeleteJobs(team.id, await teamRegionNames(tx)));
      await writeAudit(tx, ctx, {
        action: "team.delete",
        targetType: "team",
        targetId: team.id,
        organizationId: team.organizationId,
        details: { name: team.name, members },
      });
    });
    return { ok: true as const };
  });
