import { notFound } from "@gatehouse/core";
import { writeAudit } from "../../audit/write.ts";
import { authedProcedure } from "../../trpc/init.ts";
import { ZSessionsRevokeInput, ZSessionsRevokeOutput } from "./revoke.schema.ts";

export const revoke = authedProcedure
  .input(ZSessionsRevokeInput)
  .output(ZSessionsRevokeOutput)
  .mutation(async ({ ctx, input }) => {
    const { actor } = ctx;
    await ctx.db.prisma.$transaction(async (tx) => {
      const session = await tx.session.findUnique({
        where: { id: input.sessionId },
        select: { userId: true },
      });
      const own = actor.kind === "user" && session?.userId === actor.userId;
      // Someone else's session id is "not found" to a non-admin: no probing for ids.
      if (!session || (!own && !actor.isSystemAdmin)) throw notFound("Session");
      await tx.session.updateMany({
        where: { id: input.sessionId, revokedAt: null },
        data: { revokedAt: ctx.clock.now() },
      });
      await writeAudit(tx, ctx, {
        action: "session.revoke",
        targetType: "session",
        targetId: input.sessionId,
        details: { userId: session.userId },
      });
    });
    if (ctx.session?.id === input.sessionId) ctx.cookies.clear();
    return { ok: true as const };
  });
