/**
 * teams.removeMember: the membership goes, and with it the person's access through the
 * team: the keys they created in it get `owner_left` (blocked on their proxy first), then
 * they are taken off the team's LiteLLM team on every region (db teams/leave.ts orders the
 * jobs). A team admin may not remove the last ADMIN of a team that keeps members (core
 * assertTeamKeepsAdmin); organization and system admins may.
 */
import { assertTeamKeepsAdmin } from "@gatehouse/core";
import { leaveTeams, lockTeam, teamAdminCounts } from "@gatehouse/db";
import { notFound } from "@gatehouse/core";
import { writeAudit } from "../../audit/write.ts";
import { teamProcedure } from "../../trpc/init.ts";
import { ZRemoveMemberInput } from "./shared.schema.ts";
import { ZTeamsRemoveMemberOutput } from "./remove-member.schema.ts";
import { lockMemberForChange } from "./shared.ts";

export const removeMember = teamProcedure("manageMembers", ZRemoveMemberInput)
  .output(ZTeamsRemoveMemberOutput)
  .mutation(async ({ ctx, input }) => {
    const access = ctx.teamAccess;
    const now = ctx.clock.now();
    await ctx.db.prisma.$transaction(async (tx) => {
      // The team row first: removals, role changes, transfers and keys.create of this team
      // run one after the other, so the admin count and the person's keys read below are
      // the ones this removal acts on.
      if (!(await lockTeam(tx, input.teamId))) throw notFound("Team");
      const role = await lockMemberForChange(tx, ctx.actor, access, input.userId, null);
      const counts = await teamAdminCounts(tx, input.teamId);
      assertTeamKeepsAdmin({
        adminsNow: counts.admins,
        membersNow: counts.members,
        from: role,
        to: null,
        callerManagesTeam: access.permissions.manage,
      });
      const left = await leaveTeams(tx, { teamIds: [input.teamId], userId: input.userId, now });
      await writeAudit(tx, ctx, {
        action: "team.member.remove",
        targetType: "team",
        targetId: input.teamId,
        organizationId: access.team.organizationId,
        details: { userId: input.userId, role, blockedKeys: left.blockedKeys },
      });
    });
    ctx.jobs?.nudge();
    return { ok: true as const };
  });
