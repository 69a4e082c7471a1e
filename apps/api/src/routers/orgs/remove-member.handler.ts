import { changeOrgMembership } from "@gatehouse/db";
import { serviceTokensStoppedByOrgRoleLoss } from "../../auth/service-tokens.ts";
import { writeAudit } from "../../audit/write.ts";
import { orgAdminProcedure } from "../../trpc/init.ts";
import { ZOrgsRemoveMemberInput, ZOrgsRemoveMemberOutput } from "./remove-member.schema.ts";

export const removeMember = orgAdminProcedure
  .input(ZOrgsRemoveMemberInput)
  .output(ZOrgsRemoveMemberOutput)
  .mutation(async ({ ctx, input }) => {
    await ctx.db.prisma.$transaction(async (tx) => {
      const change = await changeOrgMembership(tx, {
        organizationId: input.organizationId,
        userId: input.userId,
        to: null,
        now: ctx.clock.now(),
      });
      const stoppedServiceTokens =
        change.from === "ORG_ADMIN"
          ? await serviceTokensStoppedByOrgRoleLoss(tx, {
              userId: input.userId,
              organizationId: input.organizationId,
              from: change.from,
            })
          : null;
      await writeAudit(tx, ctx, {
        action: "org.member.remove",
        targetType: "organization",
        targetId: input.organizationId,
        organizationId: input.organizationId,
        details: {
          userId: input.userId,
          role: change.from,
          ...(stoppedServiceTokens ? { stoppedServiceTokens } : {}),
        },
      });
    });
    return { ok: true as const };
  });
