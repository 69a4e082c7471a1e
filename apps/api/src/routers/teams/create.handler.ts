import { ZCreateTeamInput } from "./create.schema.ts";
import { canCreateTeam, forbidden, notFound } from "@gatehouse/core";
import { writeAudit } from "../../audit/write.ts";
import { authedProcedure } from "../../trpc/init.ts";
import { toIso, toIsoOrNull } from "../shared.schema.ts";
import { ZTeamListItem } from "./shared.schema.ts";

export const createTeam = authedProcedure
  .input(ZCreateTeamInput)
  .output(ZTeamListItem)
  .mutation(async ({ ctx, input }) => {
    if (!canCreateTeam(ctx.actor, input.organizationId)) {
      throw forbidden(
        input.organizationId
          ? "You cannot create teams in this organization"
          : "Only system administrators can create teams without an organization",
      );
    }
    if (input.alwaysFree && !ctx.actor.isSystemAdmin)
      throw forbidden("You may not change: alwaysFree");
    const now = ctx.clock.now();
    const team = await ctx.db.prisma.$transaction(async (tx) => {
      const org = input.organizationId
        ? await tx.organization.findUnique({
            where: { id: input.organizationId },
            select: { id: true, name: true },
          })
        : null;
      if (input.organizationId && !org) throw notFound("Organization");
      const created = await tx.team.create({
        data: {
          name: input.name,
          organizationId: input.organizationId,
          alwaysFree: input.alwaysFree,
          createdAt: now,
        },
      });
      await writeAudit(tx, ctx, {
        action: "team.create",
        targetType: "team",
        targetId: created.id,
        organizationId: created.organizationId,
        details: { name: created.name },
      });
      return { ...created, organization: org };
    });
    return {
      id: team.id,
      name: team.name,
      organization: team.organization,
      createdAt: toIso(team.createdAt),
      alwaysFree: team.alwaysFree,
      lastPaymentAt: toIsoOrNull(team.lastPaymentAt),
      membersCount: 0,
      keysCount: 0,
      activeProducts: [],
      expired: false,
      blocked: false,
      spendUsd: null,
    };
  });
