/**
 * teams.removeMember: the membership goes, and with it the person's access through the
 * team: the keys they created in it get `owner_left` (blocked on their proxy first), then
 * they are taken off the team's LiteLLM team on every region (db teams/leave.ts orders the
 * jobs). A team admin may not remove the last ADMIN of a team that keeps members (core
 * assertTeamKeepsAdmin); organization and system admins may.
 */
import { assertTeamKeepsAdmin, notFound, type TeamRole } from "@gatehouse/core";
import { leaveTeams, lockTeamAndMember, teamAdminCounts, transaction } from "@gatehouse/db";
import { auditRow } from "../../audit/write.ts";
import { teamProcedure } from "../../trpc/init.ts";
import { ZRemoveMemberInput, ZTeamsRemoveMemberOutput } from "./remove-member.schema.ts";
import { checkMemberChange } from "./shared.ts";

export const removeMember = teamProcedure("manageMembers", ZRemoveMemberInput)
  .output(ZTeamsRemoveMemberOutput)
  .mutation(async ({ ctx, input }) => {
    const access = ctx.teamAccess;
    const now = ctx.clock.now();
    await transaction(ctx.db, async (tx) => {
      // The team row first: removals, role changes, transfers and keys.create of this team
      // run one after the other, so the admin count and the person's keys read below are
      // the ones this removal acts on. Then the membership (both locks, one statement).
      const locked = await lockTeamAndMember<TeamRole>(tx, input.teamId, input.userId);
      if (!locked.team) throw notFound("Team");
      const role = checkMemberChange(ctx.actor, access, input.userId, locked.role, null);
      // Only a team admin removing an ADMIN can break the last-admin rule: the counts (a
      // statement of its own, read after the locks) are needed only then.
      if (role === "ADMIN" && !access.permissions.manage) {
        const counts = await teamAdminCounts(tx, input.teamId);
        assertTeamKeepsAdmin({
          adminsNow: counts.admins,
          membersNow: counts.members,
          from: role,
          to: null,
          callerManagesTeam: access.permissions.manage,
        });
      }
      await leaveTeams(
        tx,
        { teamIds: [input.teamId], userId: input.userId, now },
        auditRow(ctx, {
          action: "team.member.remove",
          targetType: "team",
          targetId: input.teamId,
          organizationId: access.team.organizationId,
          details: { userId: input.userId, role },
        }),
      );
    });
    return { ok: true as const };
  });
