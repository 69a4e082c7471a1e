import { z } from "zod";
import { ZId } from "../shared.schema.ts";

export const ZNotificationsMarkReadInput = z.strictObject({
  ids: z.array(ZId).min(1).max(500),
});

export const ZNotificationsMarkReadOutput = z.object({
  /** How many of the caller's unread notifications this marked read. */
  marked: z.number().int(),
  unreadCount: z.number().int(),
});
