import { notFound } from "@gatehouse/core";
import { findServiceToken, revokeServiceToken, transaction } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { adminProcedure } from "../../trpc/init.ts";
import { ZServiceTokensRevokeInput, ZServiceTokensRevokeOutput } from "./revoke.schema.ts";
import { toOutput } from "./shared.ts";

export const revoke = adminProcedure
  .input(ZServiceTokensRevokeInput)
  .output(ZServiceTokensRevokeOutput)
  .mutation(({ ctx, input }) =>
    transaction(ctx.db, async (tx) => {
      const existing = await findServiceToken(tx, input.serviceTokenId);
      if (!existing) throw notFound("Service token");
      // Revoking twice is a no-op (the first revocation's time stays).
      const row = existing.revokedAt
        ? existing
        : await revokeServiceToken(tx, input.serviceTokenId, ctx.clock.now());
      await writeAudit(tx, ctx, {
        action: "serviceToken.revoke",
        targetType: "serviceToken",
        targetId: row.id,
        organizationId: row.organizationId,
      });
      return toOutput(row);
    }),
  );
