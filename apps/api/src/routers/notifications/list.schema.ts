import { ZEventType } from "@gatehouse/core";
import { z } from "zod";
import { ZDateTime, ZId } from "../shared.schema.ts";

export const ZNotification = z.object({
  id: ZId,
  eventId: z.string(),
  type: ZEventType,
  /** Built by core notificationText from the event's body. */
  title: z.string(),
  summary: z.string(),
  /** The event's organization and team, null when it has none or the reader cannot see it. */
  organization: z.object({ id: ZId, name: z.string() }).nullable(),
  team: z.object({ id: ZId, name: z.string() }).nullable(),
  createdAt: ZDateTime,
  readAt: ZDateTime.nullable(),
});

export const ZNotificationsListInput = z
  .strictObject({
    unreadOnly: z.boolean().optional(),
    cursor: z.string().min(1).max(1000).optional(),
    pageSize: z.number().int().min(1).max(100).default(20),
    /** Sent by tRPC's infinite queries; paging here is always newest first. */
    direction: z.enum(["forward", "backward"]).optional(),
  })
  .default({ pageSize: 20 });

export const ZNotificationsListOutput = z.object({
  items: z.array(ZNotification),
  nextCursor: z.string().nullable(),
  /** All the caller's unread notifications, not only this page's. */
  unreadCount: z.number().int(),
});
