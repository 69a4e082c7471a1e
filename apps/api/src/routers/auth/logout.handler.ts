import { ZLogoutOutput } from "./logout.schema.ts";
import { writeAudit } from "../../audit/write.ts";
import { authedProcedure } from "../../trpc/init.ts";

export const logout = authedProcedure.output(ZLogoutOutput).mutation(async ({ ctx }) => {
  const { actor } = ctx;
  if (actor.kind === "user") {
    await ctx.db.prisma.$transaction(async (tx) => {
      await tx.session.updateMany({
        where: { id: actor.sessionId, revokedAt: null },
        data: { revokedAt: ctx.clock.now() },
      });
      await writeAudit(tx, ctx, {
        action: "auth.logout",
        targetType: "session",
        targetId: actor.sessionId,
      });
    });
  }
  ctx.cookies.clear();
  return { ok: true as const };
});
