import { conflict, DomainError, notFound } from "@gatehouse/core";
import { shareLockOrgMemberRole } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { teamProcedure } from "../../trpc/init.ts";
import { ZMemberInput } from "./shared.schema.ts";
import { ZMembershipOut } from "./shared.schema.ts";

export const addMember = teamProcedure("manageMembers", ZMemberInput)
  .output(ZMembershipOut)
  .mutation(async ({ ctx, input }) => {
    const { team } = ctx.teamAccess;
    return ctx.db.prisma.$transaction(async (tx) => {
      const user = await tx.user.findUnique({
        where: { id: input.userId },
        select: { isActive: true },
      });
      if (team.organizationId !== null) {
        // The membership row is share-locked, so it cannot be removed before we commit.
        const member = await shareLockOrgMemberRole(tx, team.organizationId, input.userId);
        // One answer for unknown, disabled and outside the organization.
        if (!user || !user.isActive || !member) {
          throw new DomainError(
            "NOT_FOUND",
            "User not found in this team's organization (its admins add people to the organization first)",
            { field: "userId" },
          );
        }
      } else if (!user || !user.isActive) {
        throw notFound("User", { field: "userId" });
      }
      const existing = await tx.teamMember.findUnique({
        where: { teamId_userId: { teamId: input.teamId, userId: input.userId } },
      });
      if (existing)
        throw conflict("Already a member of this team; use setMemberRole to change the role");
      const created = await tx.teamMember.create({
        data: {
          teamId: input.teamId,
          userId: input.userId,
          role: input.role,
          createdAt: ctx.clock.now(),
        },
      });
      await writeAudit(tx, ctx, {
        action: "team.member.add",
        targetType: "team",
        targetId: input.teamId,
        organizationId: team.organizationId,
        details: { userId: input.userId, role: input.role },
      });
      return { teamId: created.teamId, userId: created.userId, role: created.role };
    });
  });
