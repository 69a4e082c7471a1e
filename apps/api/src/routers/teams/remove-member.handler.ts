import { forbidden, notFound } from "@gatehouse/core";
import { removeTeamMember } from "@gatehouse/db";
import { auditRow } from "../../audit/write.ts";
import { teamProcedure } from "../../trpc/init.ts";
import { ZRemoveMemberInput } from "./shared.schema.ts";
import { ZTeamsRemoveMemberOutput } from "./remove-member.schema.ts";
import { CANNOT_CHANGE_TEAM_ADMIN, removableRoles } from "./shared.ts";

export const removeMember = teamProcedure("manageMembers", ZRemoveMemberInput)
  .output(ZTeamsRemoveMemberOutput)
  .mutation(async ({ ctx, input }) => {
    const access = ctx.teamAccess;
    // One statement (issue 14): the member row locked, its role checked against what core
    // lets this caller remove, the delete and its audit event (details get the role).
    const result = await removeTeamMember(
      ctx.db.pool,
      {
        teamId: input.teamId,
        userId: input.userId,
        removableRoles: removableRoles(ctx.actor, access, input.userId),
      },
      auditRow(ctx, {
        action: "team.member.remove",
        targetType: "team",
        targetId: input.teamId,
        organizationId: access.team.organizationId,
        details: { userId: input.userId },
      }),
    );
    if (result.outcome === "notMember") throw notFound("Team member");
    if (result.outcome === "forbidden") throw forbidden(CANNOT_CHANGE_TEAM_ADMIN);
    return { ok: true as const };
  });
