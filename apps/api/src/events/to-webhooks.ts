/**
 * Webhooks channel of the dispatch: a delivery row and a delivery job per enabled endpoint
 * (the event's organization's and the global ones) subscribed to the event's type.
 * SEAM: filled by the webhooks work (issue 25); until then it delivers to no endpoint.
 */
import type { Channel } from "./dispatch.ts";

export const fanOutToWebhooks: Channel = async () => ({ channel: "webhooks", count: 0 });
