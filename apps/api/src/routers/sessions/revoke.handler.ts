import { notFound } from "@gatehouse/core";
import { findSessionOwner, revokeSession, transaction } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { authedProcedure } from "../../trpc/init.ts";
import { ZSessionsRevokeInput, ZSessionsRevokeOutput } from "./revoke.schema.ts";

export const revoke = authedProcedure
  .input(ZSessionsRevokeInput)
  .output(ZSessionsRevokeOutput)
  .mutation(async ({ ctx, input }) => {
    const { actor } = ctx;
    await transaction(ctx.db, async (tx) => {
      const userId = await findSessionOwner(tx, input.sessionId);
      const own = actor.kind === "user" && userId === actor.userId;
      // Someone else's session id is "not found" to a non-admin: no probing for ids.
      if (!userId || (!own && !actor.isSystemAdmin)) throw notFound("Session");
      await revokeSession(tx, input.sessionId, ctx.clock.now());
      await writeAudit(tx, ctx, {
        action: "session.revoke",
        targetType: "session",
        targetId: input.sessionId,
        details: { userId },
      });
    });
    if (ctx.session?.id === input.sessionId) ctx.cookies.clear();
    return { ok: true as const };
  });
