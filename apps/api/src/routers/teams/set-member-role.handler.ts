/**
 * teams.setMemberRole. A team admin may not demote the last ADMIN of a team that keeps
 * members (core assertTeamKeepsAdmin); organization and system admins may.
 *
 * A role change never blocks keys: roles decide who may create or manage keys, not whose
 * keys work. A member demoted to MEMBER or READ_ONLY is still in the team the key's spend
 * is billed to, and their keys stay theirs; cutting a person off is a removal (which blocks
 * their keys with `owner_left`), or a block of the key.
 */
import { assertTeamKeepsAdmin, notFound } from "@gatehouse/core";
import { lockTeam, setTeamMemberRole, teamAdminCounts, transaction } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { teamProcedure } from "../../trpc/init.ts";
import { ZSetMemberRoleInput, ZSetMemberRoleOutput } from "./set-member-role.schema.ts";
import { lockMemberForChange } from "./shared.ts";

export const setMemberRole = teamProcedure("manageMembers", ZSetMemberRoleInput)
  .output(ZSetMemberRoleOutput)
  .mutation(async ({ ctx, input }) => {
    const access = ctx.teamAccess;
    return transaction(ctx.db, async (tx) => {
      // The team row first, as teams.removeMember: two admins stepping down at once count
      // one after the other.
      if (!(await lockTeam(tx, input.teamId))) throw notFound("Team");
      const from = await lockMemberForChange(tx, ctx.actor, access, input.userId, input.role);
      const counts = await teamAdminCounts(tx, input.teamId);
      assertTeamKeepsAdmin({
        adminsNow: counts.admins,
        membersNow: counts.members,
        from,
        to: input.role,
        callerManagesTeam: access.permissions.manage,
      });
      const updated = await setTeamMemberRole(tx, input.teamId, input.userId, input.role);
      await writeAudit(tx, ctx, {
        action: "team.member.setRole",
        targetType: "team",
        targetId: input.teamId,
        organizationId: access.team.organizationId,
        details: { userId: input.userId, from, to: input.role },
      });
      return { teamId: updated.teamId, userId: updated.userId, role: updated.role };
    });
  });
