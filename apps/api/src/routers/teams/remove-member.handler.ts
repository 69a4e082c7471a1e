import { writeAudit } from "../../audit/write.ts";
import { teamProcedure } from "../../trpc/init.ts";
import { ZRemoveMemberInput } from "./shared.schema.ts";
import { ZTeamsRemoveMemberOutput } from "./remove-member.schema.ts";
import { lockMemberForChange } from "./shared.ts";

export const removeMember = teamProcedure("manageMembers", ZRemoveMemberInput)
  .output(ZTeamsRemoveMemberOutput)
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
