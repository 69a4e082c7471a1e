import { writeAudit } from "../../audit/write.ts";
import { teamProcedure } from "../../trpc/init.ts";
import { ZMemberInput } from "./shared.schema.ts";
import { ZMembershipOut } from "./shared.schema.ts";
import { lockMemberForChange } from "./shared.ts";

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
