import { countUnreadNotifications, markNotificationsRead, transaction } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { authedProcedure } from "../../trpc/init.ts";
import { ZNotificationsMarkReadInput, ZNotificationsMarkReadOutput } from "./mark-read.schema.ts";
import { personOf } from "./shared.ts";

/**
 * notifications.markRead: marks the caller's own notifications read. Ids of someone else's
 * notifications are ignored like unknown ones (no error: that would tell they exist).
 */
export const markRead = authedProcedure
  .input(ZNotificationsMarkReadInput)
  .output(ZNotificationsMarkReadOutput)
  .mutation(({ ctx, input }) =>
    transaction(ctx.db, async (tx) => {
      const userId = personOf(ctx.actor);
      const marked = await markNotificationsRead(tx, userId, input.ids, ctx.clock.now());
      if (marked > 0) {
        await writeAudit(tx, ctx, {
          action: "notifications.markRead",
          targetType: "user",
          targetId: userId,
          details: { marked },
        });
      }
      const unreadCount = await countUnreadNotifications(tx, userId);
      return { marked, unreadCount };
    }),
  );
