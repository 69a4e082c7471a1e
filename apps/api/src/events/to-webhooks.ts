/**
 * Webhooks channel of the dispatch: a delivery row and a delivery job per enabled endpoint
 * (the event's organization's and the global ones) subscribed to the event's type; a
 * `test` event goes to the one endpoint it names.
 */
import { queueWebhookDeliveries } from "@gatehouse/db";
import type { Channel } from "./dispatch.ts";

export const fanOutToWebhooks: Channel = async (tx, event) => ({
  channel: "webhooks",
  count: await queueWebhookDeliveries(tx, event),
});
