import { z } from "zod";
import { ZDateTime, ZId } from "../shared.schema.ts";
import { ZWebhookSecretOutput } from "./shared.schema.ts";

export const ZWebhooksRotateSecretInput = z.strictObject({ webhookId: ZId });

export const ZWebhooksRotateSecretOutput = z.object({
  secret: ZWebhookSecretOutput,
  /** Until then deliveries carry a signature by the old secret too. */
  previousSecretExpiresAt: ZDateTime,
});
