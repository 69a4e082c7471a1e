import { z } from "zod";
import { ZId } from "../shared.schema.ts";
import { ZWebhook, ZWebhookDescription, ZWebhookEventTypes, ZWebhookUrl } from "./shared.schema.ts";

export const ZWebhooksUpdateInput = z.strictObject({
  webhookId: ZId,
  url: ZWebhookUrl.optional(),
  eventTypes: ZWebhookEventTypes.optional(),
  description: ZWebhookDescription.optional(),
  /** True re-enables an endpoint sustained failure disabled (its failure count starts over). */
  enabled: z.boolean().optional(),
});

export const ZWebhooksUpdateOutput = ZWebhook;
