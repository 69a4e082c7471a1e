import { forbidden } from "@gatehouse/core";
import { listLiveSessions } from "@gatehouse/db";
import { authedProcedure } from "../../trpc/init.ts";
import { memberIdOf } from "../../trpc/team-access.ts";
import { toIso } from "../shared.schema.ts";
import { ZSessionsListInput, ZSessionsListOutput } from "./list.schema.ts";

export const list = authedProcedure
  .input(ZSessionsListInput)
  .output(ZSessionsListOutput)
  .query(async ({ ctx, input }) => {
    const ownId = memberIdOf(ctx.actor);
    const userId = input.userId ?? ownId;
    if (!userId) throw forbidden("Service tokens have no sessions; name a userId");
    if (userId !== ownId && !ctx.actor.isSystemAdmin) throw forbidden();
    const sessions = await listLiveSessions(ctx.db, userId, ctx.clock.now());
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
