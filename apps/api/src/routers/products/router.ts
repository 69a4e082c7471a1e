/**
 * products.create / update / list and attach / detach to teams: system administrators.
 * A change of what a team is entitled to (attach, detach, a product's limits) queues, in
 * the same transaction, the jobs that push the new entitlement to every region's LiteLLM
 * team (db enqueueTeamSyncJobs; the worker reads the entitlement when it runs).
 */
import { conflict, normalizeLegacyLimits, notFound, preconditionFailed, ZProductLimits } from "@gatehouse/core";
import { blockIfExpired, enqueueTeamSyncJobs, liftExpiredIfPaid } from "@gatehouse/db";
import { z } from "zod";
import { writeAudit } from "../../audit/write.ts";
import { adminProcedure, authedProcedure, router } from "../../trpc/init.ts";
import { toIso, ZDateTime, ZId, ZName } from "../shared.schema.ts";

const ZLimits = ZProductLimits.default(ZProductLimits.parse({}));

const ZProduct = z.object({
  id: ZId,
  name: z.string(),
  isActive: z.boolean(),
  renewalPeriodDays: z.number().int(),
  limits: ZProductLimits,
  createdAt: ZDateTime,
});

type ProductRow = { id: string; name: string; isActive: boolean; renewalPeriodDays: number; limits: unknown; createdAt: Date };
const toProduct = (p: ProductRow): z.infer<typeof ZProduct> => ({
  id: p.id,
  name: p.name,
  isActive: p.isActive,
  renewalPeriodDays: p.renewalPeriodDays,
  // Every row has the typed shape since the entitlements migration; read defensively anyway.
  limits: normalizeLegacyLimits(p.limits),
  createdAt: toIso(p.createdAt),
});

const create = adminProcedure
  .input(
    z.strictObject({
      name: ZName,
      isActive: z.boolean().default(true),
      renewalPeriodDays: z.number().int().min(1).max(3660).default(30),
      limits: ZLimits,
    }),
  )
  .output(ZProduct)
  .mutation(({ ctx, input }) =>
    ctx.db.prisma.$transaction(async (tx) => {
      const taken = await tx.product.findUnique({ where: { name: input.name }, select: { id: true } });
      if (taken) throw conflict("A product with this name already exists", { field: "name" });
      const product = await tx.product.create({ data: { ...input, createdAt: ctx.clock.now() } });
      await writeAudit(tx, ctx, {
        action: "product.create",
        targetType: "product",
        targetId: product.id,
        details: { name: product.name, limits: input.limits },
      });
      return toProduct(product);
    }),
  );

const update = adminProcedure
  .input(
    z.strictObject({
      productId: ZId,
      name: ZName.optional(),
      isActive: z.boolean().optional(),
      /** Replaces the limits whole (a missing field is unlimited). */
      limits: ZProductLimits.optional(),
    }),
  )
  .output(ZProduct)
  .mutation(async ({ ctx, input }) => {
    const product = await ctx.db.prisma.$transaction(async (tx) => {
      const [before] = await tx.$queryRaw<{ id: string; name: string; limits: unknown }[]>`
        SELECT id::text, name, limits FROM products WHERE id = ${input.productId}::uuid FOR UPDATE`;
      if (!before) throw notFound("Product", { field: "productId" });
      if (input.name !== undefined && input.name !== before.name) {
        const taken = await tx.product.findUnique({ where: { name: input.name }, select: { id: true } });
        if (taken) throw conflict("A product with this name already exists", { field: "name" });
      }
      const updated = await tx.product.update({
        where: { id: input.productId },
        data: {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.isActive !== undefined ? { isActive: input.isActive } : {}),
          ...(input.limits !== undefined ? { limits: input.limits } : {}),
        },
      });
      const limitsChanged = input.limits !== undefined && JSON.stringify(normalizeLegacyLimits(before.limits)) !== JSON.stringify(input.limits);
      let teams = 0;
      if (limitsChanged) {
        // Every team holding it, on every region: one set-based insert however many.
        teams = await enqueueTeamSyncJobs(
          tx,
          "litellm.pushEntitlement",
          `SELECT team_id FROM team_products WHERE product_id = $1::uuid AND status = 'ACTIVE'`,
          [input.productId],
        );
      }
      await writeAudit(tx, ctx, {
        action: "product.update",
        targetType: "product",
        targetId: updated.id,
        details: {
          before: { name: before.name, limits: normalizeLegacyLimits(before.limits) },
          changed: Object.keys(input).filter((k) => k !== "productId"),
          ...(input.limits !== undefined ? { limits: input.limits } : {}),
          pushJobs: teams,
        },
      });
      return updated;
    });
    ctx.jobs?.nudge();
    return toProduct(product);
  });

/** Any signed-in caller may read the catalogue (team pages show product names). */
const list = authedProcedure.output(z.array(ZProduct)).query(async ({ ctx }) =>
  (await ctx.db.prisma.product.findMany({ orderBy: { name: "asc" }, take: 1000 })).map(toProduct),
);

const ZAttachInput = z.strictObject({ teamId: ZId, productId: ZId });
const ZTeamProduct = z.object({
  id: ZId,
  teamId: ZId,
  productId: ZId,
  status: z.enum(["ACTIVE", "CANCELLED"]),
  createdAt: ZDateTime,
});

const attach = adminProcedure
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
      if (!product.isActive) throw preconditionFailed("This product is inactive and cannot be attached", { field: "productId" });
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
      await enqueueTeamSyncJobs(tx, "litellm.pushEntitlement", `SELECT $1::uuid AS team_id`, [input.teamId]);
      // An active product ends expiry: access comes back now, not at the next sweep.
      await liftExpiredIfPaid(tx, input.teamId, ctx.clock.now(), ctx.config.expiryGraceDays, ctx.config.expiredBlockGraceDays);
      return { id: row.id, teamId: row.teamId, productId: row.productId, status: row.status, createdAt: toIso(row.createdAt) };
    });
    ctx.jobs?.nudge();
    return result;
  });

const detach = adminProcedure
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
      await enqueueTeamSyncJobs(tx, "litellm.pushEntitlement", `SELECT $1::uuid AS team_id`, [input.teamId]);
      // Its last product gone, a team long unpaid is expired now (the sweep only watches
      // teams crossing the cutoff over time).
      await blockIfExpired(tx, input.teamId, ctx.clock.now(), ctx.config.expiryGraceDays, ctx.config.expiredBlockGraceDays);
      return { id: row.id, teamId: row.teamId, productId: row.productId, status: row.status, createdAt: toIso(row.createdAt) };
    });
    ctx.jobs?.nudge();
    return result;
  });

export const productsRouter = router({ create, update, list, attach, detach });
