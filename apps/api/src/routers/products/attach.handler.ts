import { conflict, notFound, preconditionFailed } from "@gatehouse/core";
import { enqueueTeamSyncJobs, liftExpiredIfPaid } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { adminProcedure } from "../../trpc/init.ts";
import { toIso } from "../shared.schema.ts";
import { ZAttachInput, ZTeamProduct } from "./shared.schema.ts";

export const attach = adminProcedure
  .input(ZAttachInput)
  .output(ZTeamProduct)
  .mutation(async ({ ctx, input }) => {
    const result = await ctx.db.prisma.$transaction(async (tx) => {
      // Lock the team: a merge checks "no active product" under the same lock.
      const [team] = await tx.$queryRaw<{ organization_id: string | null }[]>`
        SELECT organization_id FROM teams WHERE id = ${input.teamId}::uuid FOR UPDATE`;
      if (!team) throw notFound("Team");
      const product = await tx.product.findUnique({ where: { id: input.productId } });
      if (!product) throw notFound("Product");
      // A deactivated product is withdrawn from sale; teams holding it keep it.
      if (!product.isActive)
        throw preconditionFailed("This product is inactive and cannot be attached", {
          field: "productId",
        });
      const active = await tx.teamProduct.findFirst({
        where: { teamId: input.teamId, productId: input.productId, status: "ACTIVE" },
      });
      if (active) throw conflict("This product is already active on the team");
      const row = await tx.teamProduct.create({
        data: { teamId: input.teamId, productId: input.productId, createdAt: ctx.clock.now() },
      });
      await writeAudit(tx, ctx, {
        action: "product.attach",
        targetType: "team",
        targetId: input.teamId,
        organizationId: team.organization_id,
        details: { productId: product.id, productName: product.name },
      });
      await enqueueTeamSyncJobs(tx, "litellm.pushEntitlement", `SELECT $1::uuid AS team_id`, [
        input.teamId,
      ]);
      // An active product ends expiry: access comes back now, not at the next sweep.
      await liftExpiredIfPaid(
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
