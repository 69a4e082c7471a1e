import { notFound } from "@gatehouse/core";
import { hashToken, newOpaqueToken, SERVICE_TOKEN_PREFIX } from "../../auth/tokens.ts";
import { writeAudit } from "../../audit/write.ts";
import { adminProcedure } from "../../trpc/init.ts";
import { ZCreateServiceTokenInput, ZServiceTokensCreateOutput } from "./create.schema.ts";
import { select, toOutput } from "./shared.ts";

export const create = adminProcedure
  .input(ZCreateServiceTokenInput)
  .output(ZServiceTokensCreateOutput)
  .mutation(async ({ ctx, input }) => {
    const token = newOpaqueToken(SERVICE_TOKEN_PREFIX);
    const organizationId = input.scope === "organization" ? input.organizationId : null;
    const created = await ctx.db.prisma.$transaction(async (tx) => {
      // A token minted by a token is bound by the same person as the minting token (its
      // creator), so a chain of tokens can never outlive that person's rights.
      const createdById =
        ctx.actor.kind === "user"
          ? ctx.actor.userId
          : ((
              await tx.serviceToken.findUnique({
                where: { id: ctx.actor.serviceTokenId },
                select: { createdById: true },
              })
            )?.createdById ?? null);
      if (organizationId) {
        const org = await tx.organization.findUnique({
          where: { id: organizationId },
          select: { id: true },
        });
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
