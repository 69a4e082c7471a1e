/**
 * teams.addMember / removeMember / setMemberRole: system admins, the org's admins, team admins.
 * - A team of an organization takes only members of that organization (its admins, or a
 *   system admin, add people to the organization first). Anyone else is answered like an
 *   unknown user, so a team admin cannot probe for accounts outside the organization.
 * - No one is removed or demoted by a role below theirs (core `canChangeTeamMember`).
 */
import {
  canChangeTeamMember,
  conflict,
  DomainError,
  forbidden,
  notFound,
  type Actor,
  type TeamRole,
} from "@gatehouse/core";
import type { Prisma } from "@gatehouse/db";
import { z } from "zod";
import { writeAudit } from "../../audit/write.ts";
import { teamProcedure } from "../../trpc/init.ts";
import type { TeamAccess } from "../../trpc/team-access.ts";
import { ZMemberInput, ZRemoveMemberInput, ZTeamRole } from "./schemas.ts";

const ZMembershipOut = z.object({ teamId: z.string(), userId: z.string(), role: ZTeamRole });

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
        const [member] = await tx.$queryRaw<{ role: string }[]>`
          SELECT role::text FROM organization_members
           WHERE organization_id = ${team.organizationId}::uuid AND user_id = ${input.userId}::uuid
             FOR KEY SHARE`;
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

/**
 * The target's membership, row-locked for the rest of the transaction, after checking the
 * caller may make this change to it (a concurrent promotion cannot slip past the check).
 */
async function lockMemberForChange(
  tx: Prisma.TransactionClient,
  actor: Actor,
  access: TeamAccess,
  userId: string,
  to: TeamRole | null,
): Promise<TeamRole> {
  const [member] = await tx.$queryRaw<{ role: TeamRole }[]>`
    SELECT role::text AS role FROM team_members
     WHERE team_id = ${access.team.id}::uuid AND user_id = ${userId}::uuid FOR UPDATE`;
  if (!member) throw notFound("Team member");
  if (
    !canChangeTeamMember(
      actor,
      { organizationId: access.team.organizationId, callerRole: access.callerRole },
      { userId, role: member.role },
      to,
    )
  ) {
    throw forbidden(
      "A team admin can be removed or demoted only by an organization admin or a system administrator",
    );
  }
  return member.role;
}

export const setMemberRole = teamProcedure("manageMembers", ZMemberInput.required({ role: true }))
  .output(ZMembershipOut)
  .mutation(async ({ ctx, input }) => {
    const access = ctx.teamAccess;
    return ctx.db.prisma.$transaction(async (tx) => {
      const from = await lockMemberForChange(tx, ctx.actor, access, input.userId, input.role);
      const updated = await tx.teamMember.update({
        where: { teamId_userId: { teamId: input.teamId, userId: input.userId } },
        data: { role: input.role },
      });
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

export const removeMember = teamProcedure("manageMembers", ZRemoveMemberInput)
  .output(z.object({ ok: z.literal(true) }))
  .mutation(async ({ ctx, input }) => {
    const access = ctx.teamAccess;
    await ctx.db.prisma.$transaction(async (tx) => {
      const role = await lockMemberForChange(tx, ctx.actor, access, input.userId, null);
      await tx.teamMember.delete({
        where: { teamId_userId: { teamId: input.teamId, userId: input.userId } },
      });
      await writeAudit(tx, ctx, {
        action: "team.member.remove",
        targetType: "team",
        targetId: input.teamId,
        organizationId: access.team.organizationId,
        details: { userId: input.userId, role },
      });
    });
    return { ok: true as const };
  });
