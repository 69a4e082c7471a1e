/**
 * Handlers of the local jobs (core local-jobs.ts): work the worker does itself, with no
 * LiteLLM proxy and no region. Typed like handlers.ts's TaskList, one handler per local
 * kind, so a local kind without a handler does not compile. Their dependencies are their
 * own (the database, the mail transport, the logger, the clock), not a region's client.
 */
import { localJobPayloads, type LocalJobKind, type LocalJobPayload } from "@gatehouse/core";
import type { Database } from "@gatehouse/db";
import type { Clock } from "../clock.ts";
import type { Logger } from "../logger.ts";
import { dispatchEvent } from "../events/dispatch.ts";
import { deliverWebhook, type WebhookDeliveryDeps } from "../events/deliver-webhook.ts";
import { processPasswordResetRequest } from "../workflows/auth/password-reset.ts";
import { sendQueuedMail, type JobAttempt } from "../mail/send.ts";
import type { MailTransport } from "../mail/transport.ts";

export interface LocalJobDeps {
  db: Database;
  mail: MailTransport;
  log: Logger;
  clock: Clock;
  /** The origin links in mails point at. */
  publicUrl: () => string;
  /** Webhook deliveries: where they may go, timeouts, the keys that open signing secrets. */
  webhooks: WebhookDeliveryDeps;
}

/** One local kind's handler: resolves with a short outcome for the log, throws to retry. */
export type LocalHandler<K extends LocalJobKind> = (
  payload: LocalJobPayload<K>,
  context: { job: JobAttempt; deps: LocalJobDeps },
) => Promise<string>;

export type LocalTaskList = { [K in LocalJobKind]: LocalHandler<K> };

export const localHandlers: LocalTaskList = {
  "mail.send": (payload, { job, deps }) => sendQueuedMail(payload, job, deps),
  "events.dispatch": (payload, { deps }) => dispatchEvent(deps, payload.eventId),
  "webhooks.deliver": (payload, { job, deps }) => deliverWebhook(deps, payload.deliveryId, job),
  "auth.processPasswordReset": (payload, { deps }) =>
    processPasswordResetRequest(deps, payload.requestId, deps.clock.now()),
};

/** Parses the payload for its kind and runs the kind's handler. */
export async function runLocalJob<K extends LocalJobKind>(
  kind: K,
  rawPayload: unknown,
  job: JobAttempt,
  deps: LocalJobDeps,
): Promise<string> {
  const payload = localJobPayloads[kind].parse(rawPayload) as LocalJobPayload<K>;
  const handler: LocalHandler<K> = localHandlers[kind];
  return handler(payload, { job, deps });
}
