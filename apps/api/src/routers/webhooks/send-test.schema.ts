import { z } from "zod";
import { ZId } from "../shared.schema.ts";

export const ZWebhooksSendTestInput = z.strictObject({ webhookId: ZId });

/** The test event's id: the `webhook-id` the receiver gets, and the log's line. */
export const ZWebhooksSendTestOutput = z.object({ eventId: z.string() });
