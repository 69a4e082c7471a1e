import { ZEventType } from "@gatehouse/core";
import { z } from "zod";
import { ZDateTime, ZId } from "../shared.schema.ts";

export const ZWebhooksDeliveriesInput = z.strictObject({
  webhookId: ZId,
  /** The previous page's `nextCursor`. */
  cursor: z.string().max(500).optional(),
  limit: z.number().int().min(1).max(100).default(25),
});

export const ZWebhookAttempt = z.object({
  id: ZId,
  deliveryId: ZId,
  /** The event's id: the `webhook-id` header, the same on every attempt of a delivery. */
  eventId: z.string(),
  eventType: ZEventType,
  attemptedAt: ZDateTime,
  /** Null: no response (refused, unreachable, timed out; see `error`). */
  statusCode: z.number().int().nullable(),
  latencyMs: z.number().int(),
  error: z.string().nullable(),
  deliveryStatus: z.enum(["PENDING", "DELIVERED", "FAILED"]),
  deliveryAttempts: z.number().int(),
});

export const ZWebhooksDeliveriesOutput = z.object({
  items: z.array(ZWebhookAttempt),
  nextCursor: z.string().nullable(),
});
