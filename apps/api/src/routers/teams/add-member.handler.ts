import { conflict, DomainError, notFound, userVisibility } from "@gatehouse/core";
import { addTeamMember } from "@gatehouse/db";
import { auditRow } from "../../audit/write.ts";
import { teamProcedure } from "../../trpc/init.ts";
import { ZAddMemberInput, ZAddMemberOutput } from "./add-member.schema.ts";

export const addMember = teamProcedure("manageMembers", ZAddMemberInput)
  .output(ZAddMemberOutput)
  .mutation(async ({ ctx, input }) => {
    const { team } = ctx.teamAccess;
    // One statement (each round trip costs under load): the checks, the organization
    // membership's share lock (it cannot be removed before this commits), the insert and
    // its audit event.
    const result = await addTeamMember(
      ctx.db,
      {
        teamId: input.teamId,
        organizationId: team.organizationId,
        userId: input.userId,
        role: input.role,
        now: ctx.clock.now(),
        // A team of no organization: only someone the caller may already see.
        visibility: userVisibility(ctx.actor),
      },
      auditRow(ctx, {
        action: "team.member.add",
        targetType: "team",
        targetId: input.teamId,
        organizationId: team.organizationId,
        details: { userId: input.userId, role: input.role },
      }),
    );
    if (result.outcome === "userNotFound") {
      // One answer for unknown, disabled, outside the organization and (a team of no
      // organization) not visible to the caller, as users.lookup answers.
      if (team.organizationId !== null) {
        throw new DomainError(
          "NOT_FOUND",
          "User not found in this team's organization (its admins add people to the organization first)",
          { field: "userId" },
        );
      }
      throw notFound("User", { field: "userId" });
    }
    if (result.outcome === "alreadyMember")
      throw conflict("Already a member of this team; use setMemberRole to change the role");
    // The person's keys in this team that a removal blocked (`owner_left`) were lifted in
    // the same statement; their reinstate jobs are queued.
    return { teamId: result.teamId, userId: result.userId, role: input.role };
  });
