import { revokeSession, transaction } from "@gatehouse/db";
import { ZLogoutOutput } from "./logout.schema.ts";
import { writeAudit } from "../../audit/write.ts";
import { authedProcedure } from "../../trpc/init.ts";

export const logout = authedProcedure.output(ZLogoutOutput).mutation(async ({ ctx }) => {
  const { actor } = ctx;
  if (actor.kind === "user") {
    await transaction(ctx.db, async (tx) => {
      await revokeSession(tx, actor.sessionId, ctx.clock.now());
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
