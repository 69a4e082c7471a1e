/**
 * Jobs the worker runs itself, with no LiteLLM proxy and no region (litellm-jobs.ts holds
 * the proxy calls): sending a mail now, webhook deliveries later. They share the queue
 * (durable, retried with backoff, queued in the transaction that needs them) and are told
 * apart by kind: run-job.ts sends a local kind to worker/local-handlers.ts.
 *
 * A payload names rows, never carries their content: job payloads and errors are visible
 * to operators and in logs, and a mail body may hold a single-use token.
 */
import { z } from "zod";

/** Sends one row of `mails` (packages/db mail/), read when the job runs. */
export const ZSendMail = z.object({ mailId: z.uuid() });

/**
 * Decides on one password reset request (auth.requestPasswordReset records every request the
 * same way; this job gives an active account a token and its mail, anything else nothing).
 */
export const ZProcessPasswordReset = z.object({ requestId: z.uuid() });

/**
 * Fans one event (packages/db `events`) out to its webhooks, notifications and mails, once:
 * queued with the event by emitEvents.
 */
export const ZDispatchEvent = z.object({ eventId: z.string().min(1).max(300) });

/**
 * One POST of a webhook delivery (packages/db `webhook_deliveries`): the body, the endpoint
 * and its secrets are read when the job runs; retried on the delivery's own schedule.
 */
export const ZDeliverWebhook = z.object({ deliveryId: z.uuid() });

export const localJobPayloads = {
  "webhooks.deliver": ZDeliverWebhook,
  "events.dispatch": ZDispatchEvent,
  "mail.send": ZSendMail,
  "auth.processPasswordReset": ZProcessPasswordReset,
} as const;

export type LocalJobKind = keyof typeof localJobPayloads;
export type LocalJobPayload<K extends LocalJobKind> = z.infer<(typeof localJobPayloads)[K]>;

export function isLocalJobKind(kind: string): kind is LocalJobKind {
  return Object.hasOwn(localJobPayloads, kind);
}
