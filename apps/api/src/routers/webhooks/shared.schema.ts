import { EVENT_TYPES, ZEventType } from "@gatehouse/core";
import { z } from "zod";
import { ZDateTime, ZId } from "../shared.schema.ts";

/** A webhook URL's form; where it may point is checked against the configuration (shared.ts). */
export const ZWebhookUrl = z.url({ error: "must be a URL" }).max(2000);

export const ZWebhookEventTypes = z
  .array(ZEventType)
  .min(1, { error: "choose at least one event type" })
  .max(EVENT_TYPES.length)
  .refine((types) => new Set(types).size === types.length, {
    error: "must not repeat an event type",
  });

export const ZWebhookDescription = z.string().trim().max(300);

/** An endpoint as answered: never its secret. */
export const ZWebhook = z.object({
  id: ZId,
  organizationId: ZId.nullable(),
  url: z.string(),
  eventTypes: z.array(ZEventType),
  description: z.string(),
  enabled: z.boolean(),
  disabledAt: ZDateTime.nullable(),
  disabledReason: z.string().nullable(),
  consecutiveFailures: z.number().int(),
  /** Until when the secret before the last rotation still signs deliveries. */
  previousSecretExpiresAt: ZDateTime.nullable(),
  createdAt: ZDateTime,
  updatedAt: ZDateTime,
});

/** A signing secret, answered once (create, rotateSecret). */
export const ZWebhookSecretOutput = z.string().startsWith("whsec_");
