/** teams.addMember / removeMember / setMemberRole: system admins, the org's admins, team admins. */
import { conflict, notFound } from "@gatehouse/core";
import { z } from "zod";
import { writeAudit } from "../../audit/write.ts";
import { authedProcedure } from "../../trpc/init.ts";
import { requireTeamPermission } from "./access.ts";
import { ZMemberInput, ZRemoveMemberInput, ZTeamRole } from "./schemas.ts";

const ZMembershipOut = z.object({ teamId: z.string(), userId: z.string(), role: ZTeamRole });

export const addMember = authedProcedure
  .input(ZMemberInput)
  .output(ZMembershipOut)
  .mutation(async ({ ctx, input }) => {
    const { team } = await requireTeamPermission(ctx.db, ctx.actor, input.teamId, "manageMembers");
    return ctx.db.prisma.$transaction(async (tx) => {
      const user = await tx.user.findUnique({ where: { id: input.userId }, select: { isActive: true } });
      if (!user || !user.isActive) throw notFound("User");
      const existing = await tx.teamMember.findUnique({
        where: { teamId_userId: { teamId: input.teamId, userId: input.userId } },
      });
      if (existing) throw conflict("Already a member of this team; use setMemberRole to change the role");
      const created = await tx.teamMember.create({
        data: { teamId: input.teamId, userId: input.userId, role: input.role, createdAt: ctx.clock.now() },
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

export const setMemberRole = authedProcedure
  .input(ZMemberInput.required({ role: true }))
  .output(ZMembershipOut)
  .mutation(async ({ ctx, input }) => {
    const { team } = await requireTeamPermission(ctx.db, ctx.actor, input.teamId, "manageMembers");
    return ctx.db.prisma.$transaction(async (tx) => {
      const existing = await tx.teamMember.findUnique({
        where: { teamId_userId: { teamId: input.teamId, userId: input.userId } },
      });
      if (!existing) throw notFound("Team member");
      const updated = await tx.teamMember.update({
        where: { teamId_userId: { teamId: input.teamId, userId: input.userId } },
        data: { role: input.role },
      });
      await writeAudit(tx, ctx, {
        action: "team.member.setRole",
        targetType: "team",
        targetId: input.teamId,
        organizationId: team.organizationId,
        details: { userId: input.userId, from: existing.role, to: input.role },
      });
      return { teamId: updated.teamId, userId: updated.userId, role: updated.role };
    });
  });

export const removeMember = authedProcedure
  .input(ZRemoveMemberInput)
  .output(z.object({ ok: z.literal(true) }))
  .mutation(async ({ ctx, input }) => {
    const { team } = await requireTeamPermission(ctx.db, ctx.actor, input.teamId, "manageMembers");
    await ctx.db.prisma.$transaction(async (tx) => {
      const removed = await tx.teamMember.deleteMany({ where: { teamId: input.teamId, userId: input.userId } });
      if (removed.count === 0) throw notFound("Team member");
      await writeAudit(tx, ctx, {
        action: "team.member.remove",
        targetType: "team",
        targetId: input.teamId,
        organizationId: team.organizationId,
        details: { userId: input.userId },
      });
    });
    return { ok: true as const };
  });
