import { notFound } from "@gatehouse/core";
import {
  insertServiceToken,
  organizationExists,
  serviceTokenCreatorId,
  transaction,
} from "@gatehouse/db";
import { hashToken, newOpaqueToken, SERVICE_TOKEN_PREFIX } from "../../auth/tokens.ts";
import { writeAudit } from "../../audit/write.ts";
import { adminProcedure } from "../../trpc/init.ts";
import { ZCreateServiceTokenInput, ZServiceTokensCreateOutput } from "./create.schema.ts";
import { toOutput } from "./shared.ts";

export const create = adminProcedure
  .input(ZCreateServiceTokenInput)
  .output(ZServiceTokensCreateOutput)
  .mutation(async ({ ctx, input }) => {
    const token = newOpaqueToken(SERVICE_TOKEN_PREFIX);
    const organizationId = input.scope === "organization" ? input.organizationId : null;
    const created = await transaction(ctx.db, async (tx) => {
      // A token minted by a token is bound by the same person as the minting token (its
      // creator), so a chain of tokens can never outlive that person's rights.
      const createdById =
        ctx.actor.kind === "user"
          ? ctx.actor.userId
          : await serviceTokenCreatorId(tx, ctx.actor.serviceTokenId);
      if (organizationId && !(await organizationExists(tx, organizationId)))
        throw notFound("Organization");
      const row = await insertServiceToken(tx, {
        name: input.name,
        tokenHash: hashToken(token),
        scope: input.scope === "admin" ? "ADMIN" : "ORGANIZATION",
        organizationId,
        createdById,
        createdAt: ctx.clock.now(),
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
