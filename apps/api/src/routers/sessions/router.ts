/**
 * sessions.list / sessions.revoke: a person sees and ends their own sessions; a system
 * admin may do so for anyone.
 */
import { forbidden, notFound } from "@gatehouse/core";
import { z } from "zod";
import { writeAudit } from "../../audit/write.ts";
import { authedProcedure, router } from "../../trpc/init.ts";
import { toIso, ZDateTime, ZId } from "../shared.schema.ts";

const ZSession = z.object({
  id: ZId,
  userId: ZId,
  createdAt: ZDateTime,
  lastSeenAt: ZDateTime,
  expiresAt: ZDateTime,
  absoluteExpiresAt: ZDateTime,
  ipAddress: z.string().nullable(),
  userAgent: z.string().nullable(),
  current: z.boolean(),
});

const list = authedProcedure
  .input(z.strictObject({ userId: ZId.optional() }).default({}))
  .output(z.array(ZSession))
  .query(async ({ ctx, input }) => {
    const { actor } = ctx;
    const ownId = actor.kind === "user" ? actor.userId : null;
    const userId = input.userId ?? ownId;
    if (!userId) throw forbidden("Service tokens have no sessions; name a userId");
    if (userId !== ownId && !actor.isSystemAdmin) throw forbidden();
    const now = ctx.clock.now();
    const sessions = await ctx.db.prisma.session.findMany({
      where: { userId, revokedAt: null, idleExpiresAt: { gt: now }, absoluteExpiresAt: { gt: now } },
      orderBy: { createdAt: "desc" },
      take: 200,
    });
    return sessions.map((s) => ({
      id: s.id,
      userId: s.userId,
      createdAt: toIso(s.createdAt),
      lastSeenAt: toIso(s.lastSeenAt),
      expiresAt: toIso(s.idleExpiresAt),
      absoluteExpiresAt: toIso(s.absoluteExpiresAt),
      ipAddress: s.ipAddress,
      userAgent: s.userAgent,
      current: ctx.session?.id === s.id,
    }));
  });

const revoke = authedProcedure
  .input(z.strictObject({ sessionId: ZId }))
  .output(z.object({ ok: z.literal(true) }))
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

export const sessionsRouter = router({ list, revoke });
