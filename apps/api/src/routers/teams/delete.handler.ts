import { notFound, preconditionFailed, teamDeleteJobs } from "@gatehouse/core";
import { enqueueJobs, lockTeam, recordEndedTeam } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { teamProcedure } from "../../trpc/init.ts";
import { ZTeamIdInput } from "./shared.schema.ts";
import { ZTeamsDeleteOutput } from "./delete.schema.ts";
import { allRegions } from "./shared.ts";

export const deleteTeam = teamProcedure("manage", ZTeamIdInput)
  .output(ZTeamsDeleteOutput)
  .mutation(async ({ ctx, input }) => {
    await ctx.db.prisma.$transaction(async (tx) => {
      // Lock the team so a key cannot be created between the check and the delete.
      const team = await lockTeam(tx, input.teamId);
      if (!team) throw notFound("Team");
      // Keys live on LiteLLM proxies too; deleting the rows here would orphan them there.
      const keys = await tx.apiKey.count({ where: { teamId: team.id } });
      if (keys > 0)
        throw preconditionFailed(`The team still has ${keys} key(s); delete them first`, { keys });
      const members = await tx.teamMember.count({ where: { teamId: team.id } });
      // Its spend points stay for the billing report, which names it from this record.
      await recordEndedTeam(tx, team, { fate: "deleted" }, ctx.clock.now());
      await tx.team.delete({ where: { id: team.id } });
      // It owns no keys (checked above), so deleting it on the proxies takes none with it.
      await enqueueJobs(tx, teamDeleteJobs(team.id, await allRegions(tx)));
      await writeAudit(tx, ctx, {
        action: "team.delete",
        targetType: "team",
        targetId: team.id,
        organizationId: team.organizationId,
        details: { name: team.name, members },
      });
    });
    ctx.jobs?.nudge();
    return { ok: true as const };
  });
