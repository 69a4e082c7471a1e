import { notFound } from "@gatehouse/core";
import { writeAudit } from "../../audit/write.ts";
import { adminProcedure } from "../../trpc/init.ts";
import { ZServiceTokensRevokeInput } from "./revoke.schema.ts";
import { ZServiceToken } from "./shared.schema.ts";
import { select, toOutput } from "./shared.ts";

export const revoke = adminProcedure
  .input(ZServiceTokensRevokeInput)
  .output(ZServiceToken)
  .mutation(({ ctx, input }) =>
    ctx.db.prisma.$transaction(async (tx) => {
      const existing = await tx.serviceToken.findUnique({
        where: { id: input.serviceTokenId },
        select,
      });
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
