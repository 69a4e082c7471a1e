import { decodeCursor, encodeCursor, notificationText, ZEventType } from "@gatehouse/core";
import { countUnreadNotifications, listNotifications } from "@gatehouse/db";
import { authedProcedure } from "../../trpc/init.ts";
import { toIso, toIsoOrNull } from "../shared.schema.ts";
import { ZNotificationsListInput, ZNotificationsListOutput } from "./list.schema.ts";
import { personOf } from "./shared.ts";

const SORT = { sortBy: "createdAt", sortOrder: "desc" as const };

/** notifications.list: the caller's own notifications, newest first, and the unread count. */
export const list = authedProcedure
  .input(ZNotificationsListInput)
  .output(ZNotificationsListOutput)
  .query(async ({ ctx, input }) => {
    const userId = personOf(ctx.actor);
    const cursor = input.cursor ? decodeCursor(input.cursor, SORT) : null;
    const [rows, unreadCount] = await Promise.all([
      listNotifications(ctx.db, userId, {
        unreadOnly: input.unreadOnly ?? false,
        after: cursor ? { createdAt: new Date(cursor.value), id: cursor.id } : null,
        take: input.pageSize + 1,
      }),
      countUnreadNotifications(ctx.db, userId),
    ]);
    const page = rows.slice(0, input.pageSize);
    const last = page.at(-1);
    return {
      items: page.flatMap((row) => {
        // An event type this version no longer knows is left out rather than failing the list.
        const type = ZEventType.safeParse(row.type);
        if (!type.success) return [];
        const organization =
          row.organizationId && row.organizationName !== null
            ? { id: row.organizationId, name: row.organizationName }
            : null;
        const team =
          row.teamId && row.teamName !== null ? { id: row.teamId, name: row.teamName } : null;
        const text = notificationText(type.data, row.data, {
          teamName: team?.name ?? null,
          organizationName: organization?.name ?? null,
        });
        return [
          {
            id: row.id,
            eventId: row.eventId,
            type: type.data,
            title: text.title,
            summary: text.summary,
            organization,
            team,
            createdAt: toIso(row.createdAt),
            readAt: toIsoOrNull(row.readAt),
          },
        ];
      }),
      nextCursor:
        rows.length > input.pageSize && last
          ? encodeCursor({ ...SORT, value: last.createdAt.toISOString(), id: last.id })
          : null,
      unreadCount,
    };
  });
