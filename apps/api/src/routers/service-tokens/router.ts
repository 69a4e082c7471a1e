/**
 * Service tokens for internal callers. The secret is returned once by `create` and only
 * its hash is stored. A token is bound by its creator's current rights (see
 * auth/service-tokens.ts), so the list shows whose token it is and when it was last used.
 */
import { notFound } from "@gatehouse/core";
import { z } from "zod";
import { hashToken, newOpaqueToken, SERVICE_TOKEN_PREFIX } from "../../auth/tokens.ts";
import { writeAudit } from "../../audit/write.ts";
import { adminProcedure, router } from "../../trpc/init.ts";
import { toIso, toIsoOrNull, ZDateTime, ZId, ZName } from "../shared.schema.ts";

const ZServiceToken = z.object({
  id: ZId,
  name: z.string(),
  scope: z.enum(["admin", "organization"]),
  organizationId: ZId.nullable(),
  createdAt: ZDateTime,
  /** Written at most once a minute per token. */
  lastUsedAt: ZDateTime.nullable(),
  revokedAt: ZDateTime.nullable(),
  /** The person whose rights bound the token's; null for a token without one (it does not work). */
  createdBy: z.object({ id: ZId, email: z.string(), name: z.string() }).nullable(),
});

export const ZCreateServiceTokenInput = z.discriminatedUnion("scope", [
  z.strictObject({ name: ZName, scope: z.literal("admin") }),
  z.strictObject({ name: ZName, scope: z.literal("organization"), organizationId: ZId }),
]);

type Row = {
  id: string;
  name: string;
  scope: "ADMIN" | "ORGANIZATION";
  organizationId: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdBy: { id: string; email: string; name: string } | null;
};

const toOutput = (t: Row): z.infer<typeof ZServiceToken> => ({
  id: t.id,
  name: t.name,
  scope: t.scope === "ADMIN" ? "admin" : "organization",
  organizationId: t.organizationId,
  createdAt: toIso(t.createdAt),
  lastUsedAt: toIsoOrNull(t.lastUsedAt),
  revokedAt: toIsoOrNull(t.revokedAt),
  createdBy: t.createdBy,
});

const select = {
  id: true,
  name: true,
  scope: true,
  organizationId: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
  createdBy: { select: { id: true, email: true, name: true } },
} as const;

const create = adminProcedure
  .input(ZCreateServiceTokenInput)
  .output(ZServiceToken.extend({ token: z.string() }))
  .mutation(async ({ ctx, input }) => {
    const token = newOpaqueToken(SERVICE_TOKEN_PREFIX);
    const organizationId = input.scope === "organization" ? input.organizationId : null;
    const created = await ctx.db.prisma.$transaction(async (tx) => {
      // A token minted by a token is bound by the same person as the minting token (its
      // creator), so a chain of tokens can never outlive that person's rights.
      const createdById =
        ctx.actor.kind === "user"
          ? ctx.actor.userId
          : ((await tx.serviceToken.findUnique({ where: { id: ctx.actor.serviceTokenId }, select: { createdById: true } }))
              ?.createdById ?? null);
      if (organizationId) {
        const org = await tx.organization.findUnique({ where: { id: organizationId }, select: { id: true } });
        if (!org) throw notFound("Organization");
      }
      const row = await tx.serviceToken.create({
        data: {
          name: input.name,
          tokenHash: hashToken(token),
          scope: input.scope === "admin" ? "ADMIN" : "ORGANIZATION",
          organizationId,
          createdById,
          createdAt: ctx.clock.now(),
        },
        select,
      });
      await writeAudit(tx, ctx, {
        action: "serviceToken.create",
        targetType: "serviceToken",
        targetId: row.id,
        organizationId,
        details: { name: row.name, scope: input.scope },
      });
      return row;
    });
    return { ...toOutput(created), token };
  });

const revoke = adminProcedure
  .input(z.strictObject({ serviceTokenId: ZId }))
  .output(ZServiceToken)
  .mutation(({ ctx, input }) =>
    ctx.db.prisma.$transaction(async (tx) => {
      const existing = await tx.serviceToken.findUnique({ where: { id: input.serviceTokenId }, select });
      if (!existing) throw notFound("Service token");
      const row = existing.revokedAt
        ? existing
        : await tx.serviceToken.update({
            where: { id: input.serviceTokenId },
            data: { revokedAt: ctx.clock.now() },
            select,
          });
      await writeAudit(tx, ctx, {
        action: "serviceToken.revoke",
        targetType: "serviceToken",
        targetId: row.id,
        organizationId: row.organizationId,
      });
      return toOutput(row);
    }),
  );

const list = adminProcedure
  .output(z.array(ZServiceToken))
  .query(async ({ ctx }) =>
    (await ctx.db.prisma.serviceToken.findMany({ select, orderBy: { createdAt: "desc" }, take: 500 })).map(
      toOutput,
    ),
  );

export const serviceTokensRouter = router({ create, revoke, list });
