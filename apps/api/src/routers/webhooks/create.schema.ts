import { z } from "zod";
import { ZId } from "../shared.schema.ts";
import {
  ZWebhookDescription,
  ZWebhookEventTypes,
  ZWebhookSecretOutput,
  ZWebhookUrl,
} from "./shared.schema.ts";

export const ZWebhooksCreateInput = z.strictObject({
  /** Absent: a global endpoint (system administrators only). */
  organizationId: ZId.optional(),
  url: ZWebhookUrl,
  eventTypes: ZWebhookEventTypes,
  description: ZWebhookDescription.optional(),
});

/** The secret is answered here and never again (rotateSecret makes a new one). */
export const ZWebhooksCreateOutput = z.object({ id: ZId, secret: ZWebhookSecretOutput });
