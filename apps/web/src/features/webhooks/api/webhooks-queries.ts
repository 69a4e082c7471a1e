/**
 * webhooks.list (an organization's endpoints, or the global ones) and an endpoint's
 * delivery log. Secrets are never listed: create and rotateSecret answer them once.
 */
import { trpc, type RouterOutputs } from "@/lib/trpc.ts";

export type Webhook = RouterOutputs["webhooks"]["list"]["items"][number];
export type WebhookAttempt = RouterOutputs["webhooks"]["deliveries"]["items"][number];

/** null: the global endpoints (system administrators). */
export const webhooksQueryOptions = (organizationId: string | null) =>
  trpc.webhooks.list.queryOptions(organizationId ? { organizationId } : {}, {
    select: (data) => data.items,
  });

export const webhookDeliveriesQueryOptions = (webhookId: string, cursor?: string) =>
  trpc.webhooks.deliveries.queryOptions({ webhookId, ...(cursor ? { cursor } : {}) });
