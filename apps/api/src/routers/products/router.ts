/** products.create / list and attach / detach to teams: system administrators. */
import { conflict, notFound } from "@gatehouse/core";
import { z } from "zod";
import { writeAudit } from "../../audit/write.ts";
import { adminProcedure, authedProcedure, router } from "../../trpc/init.ts";
import { toIso, ZDateTime, ZId, ZName } from "../shared.schema.ts";

const ZLimits = z
  .strictObject({
    maxKeys: z.number().int().min(0).max(1_000_000).optional(),
    maxBudgetUsd: z.number().min(0).max(1e9).optional(),
    rpmLimit: z.number().int().min(0).max(1e9).optional(),
    tpmLimit: z.number().int().min(0).max(1e12).optional(),
  })
  .default({});

const ZProduct = z.object({
  id: ZId,
  name: z.string(),
  isActive: z.boolean(),
  renewalPeriodDays: z.number().int(),
  // What is stored: numbers from products.create, and model lists (the demo seed writes
  // `models: [...]`). Limits get a proper type of their own later.
  limits: z.record(z.string(), z.union([z.number(), z.array(z.string())])),
  createdAt: ZDateTime,
});

type ProductRow = { id: string; name: string; isActive: boolean; renewalPeriodDays: number; limits: unknown; createdAt: Date };
const toProduct = (p: ProductRow): z.infer<typeof ZProduct> => ({
  id: p.id,
  name: p.name,
  isActive: p.isActive,
  renewalPeriodDays: p.renewalPeriodDays,
  limits: (p.limits ?? {}) as Record<string, number | string[]>,
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
  .mutation(({ ctx, input }) =>
    ctx.db.prisma.$transaction(async (tx) => {
      // Lock the team: a merge checks "no active product" under the same lock.
      const [team] = await tx.$queryRaw<{ organization_id: string | null }[]>`
        SELECT organization_id FROM teams WHERE id = ${input.teamId}::uuid FOR UPDATE`;
      if (!team) throw notFound("Team");
      const product = await tx.product.findUnique({ where: { id: input.productId } });
      if (!product) throw notFound("Product");
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
      return { id: row.id, teamId: row.teamId, productId: row.productId, status: row.status, createdAt: toIso(row.createdAt) };
    }),
  );

const detach = adminProcedure
  .input(ZAttachInput)
  .output(ZTeamProduct)
  .mutation(({ ctx, input }) =>
    ctx.db.prisma.$transaction(async (tx) => {
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
      return { id: row.id, teamId: row.teamId, productId: row.productId, status: row.status, createdAt: toIso(row.createdAt) };
    }),
  );

export const productsRouter = router({ create, list, attach, detach });
