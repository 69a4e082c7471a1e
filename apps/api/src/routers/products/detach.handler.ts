import { notFound } from "@gatehouse/core";
import { blockIfExpired, enqueueTeamSyncJobs } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { adminProcedure } from "../../trpc/init.ts";
import { toIso } from "../shared.schema.ts";
import { ZAttachInput, ZTeamProduct } from "./shared.schema.ts";

export const detach = adminProcedure
  .input(ZAttachInput)
  .output(ZTeamProduct)
  .mutation(async ({ ctx, input }) => {
    const result = await ctx.db.prisma.$transaction(async (tx) => {
      const active = await tx.teamProduct.findFirst({
        where: { teamId: input.teamId, productId: input.productId, status: "ACTIVE" },
        include: { team: { select: { organizationId: true } } },
      });
      if (!active) throw notFound("Active product on this team");
      const row = await tx.teamProduct.update({
        where: { id: active.id },
        data: { status: "CANCELLED", cancelledAt: ctx.clock.now() },
      });
      await writeAudit(tx, ctx, {
        action: "product.detach",
        targetType: "team",
        targetId: input.teamId,
        organizationId: active.team.organizationId,
        details: { productId: input.productId },
      });
      await enqueueTeamSyncJobs(tx, "litellm.pushEntitlement", `SELECT $1::uuid AS team_id`, [
        input.teamId,
      ]);
      // Its last product gone, a team long unpaid is expired now (the sweep only watches
      // teams crossing the cutoff over time).
      await blockIfExpired(
        tx,
        input.teamId,
        ctx.clock.now(),
        ctx.config.expiryGraceDays,
        ctx.config.expiredBlockGraceDays,
      );
      return {
        id: row.id,
        teamId: row.teamId,
        productId: row.productId,
        status: row.status,
        createdAt: toIso(row.createdAt),
      };
    });
    ctx.jobs?.nudge();
    return result;
  });
