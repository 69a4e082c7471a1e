/**
 * The `webhooks.deliver` job: one POST of one delivery, signed per Standard Webhooks, to an
 * address checked after resolving (never a private, link-local or metadata one), recorded
 * as an attempt. A failure is retried on core's schedule (a day and more) with the same
 * `webhook-id`; sustained failure disables the endpoint, audited, and its owners are told
 * by mail. An endpoint never has more than WEBHOOK_MAX_IN_FLIGHT POSTs under way.
 */
import {
  checkWebhookUrl,
  pickDeliveryAddress,
  shouldDisableWebhook,
  WEBHOOK_MAX_ATTEMPTS,
  WEBHOOK_MAX_IN_FLIGHT,
  webhookDisabledMail,
  webhookRetryDelayMs,
  webhookUrlRefusalText,
  type WebhookAddressPolicy,
} from "@gatehouse/core";
import {
  disableWebhook,
  queueMail,
  recordWebhookAttempt,
  startWebhookAttempt,
  transaction,
  webhookOwnerEmails,
  type DeliveryToAttempt,
} from "@gatehouse/db";
import { Webhook } from "standardwebhooks";
import { writeAudit } from "../audit/write.ts";
import { openSecretWithAny, webhookSecretBinding } from "../secrets.ts";
import type { JobAttempt } from "../mail/send.ts";
import { RetryAfter } from "../worker/retry-after.ts";
import type { LocalJobDeps } from "../worker/local-handlers.ts";
import { postWebhook, type PostOutcome, type Resolver } from "./webhook-post.ts";

/** What deliveries run with (the worker's options; tests inject the resolver). */
export interface WebhookDeliveryDeps {
  /** GATEHOUSE_WEBHOOKS_ALLOW_HTTP: loopback receivers (plain http) allowed. */
  allowHttp: boolean;
  resolve: Resolver;
  connectTimeoutMs: number;
  timeoutMs: number;
  /** Keys that open the sealed signing secrets, the current one first. */
  secretsKeys: readonly Buffer[];
}

export const WEBHOOK_TIMEOUTS = { connectTimeoutMs: 5_000, timeoutMs: 15_000 } as const;
/** How soon a delivery waiting for a free slot of its endpoint looks again. */
const BUSY_RETRY_MS = 1_000;

/** The signing secrets in force: the current one, and the previous during its overlap. */
function signingSecrets(delivery: DeliveryToAttempt, keys: readonly Buffer[], now: Date): string[] {
  const { webhook } = delivery;
  const binding = webhookSecretBinding(webhook.id);
  const secrets = [openSecretWithAny(keys, webhook.secretSealed, binding)];
  if (
    webhook.previousSecretSealed &&
    webhook.previousSecretExpiresAt &&
    webhook.previousSecretExpiresAt.getTime() > now.getTime()
  )
    secrets.push(openSecretWithAny(keys, webhook.previousSecretSealed, binding));
  return secrets;
}

/** The three Standard Webhooks headers; during an overlap one `v1,` signature per secret. */
export function signedHeaders(
  secrets: readonly string[],
  eventId: string,
  at: Date,
  body: string,
): Record<string, string> {
  return {
    "webhook-id": eventId,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": secrets.map((s) => new Webhook(s).sign(eventId, at, body)).join(" "),
  };
}

/** Resolves and checks where the POST may go, then makes it; a refusal opens no socket. */
async function attempt(
  delivery: DeliveryToAttempt,
  web: WebhookDeliveryDeps,
  now: Date,
): Promise<PostOutcome> {
  const policy: WebhookAddressPolicy = { allowLoopback: web.allowHttp };
  const checked = checkWebhookUrl(delivery.webhook.url, policy);
  if (!checked.ok)
    return { statusCode: null, error: `refused: ${webhookUrlRefusalText(checked.reason)}` };
  let addresses: string[];
  try {
    addresses = checked.literal ? [checked.host] : await web.resolve(checked.host);
  } catch (error) {
    return {
      statusCode: null,
      error: `could not resolve ${checked.host}: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const picked = pickDeliveryAddress(checked.url.protocol as "http:" | "https:", addresses, policy);
  if (!picked.ok)
    return {
      statusCode: null,
      error: `refused: ${checked.host} resolves to an address that ${webhookUrlRefusalText(picked.reason).replace(/^must not/, "must not be")}`,
    };
  const headers = signedHeaders(
    signingSecrets(delivery, web.secretsKeys, now),
    delivery.eventId,
    now,
    delivery.payload,
  );
  return postWebhook({
    url: checked.url,
    address: picked.address,
    headers,
    body: delivery.payload,
    connectTimeoutMs: web.connectTimeoutMs,
    timeoutMs: web.timeoutMs,
  });
}

export async function deliverWebhook(
  deps: LocalJobDeps,
  deliveryId: string,
  job: JobAttempt,
): Promise<string> {
  const web = deps.webhooks;
  const startedAt = deps.clock.now();
  const start = await transaction(deps.db, (tx) =>
    startWebhookAttempt(tx, deliveryId, {
      now: startedAt,
      // The slot frees itself if this worker dies mid-POST (the job is retaken after its lease).
      leaseUntil: new Date(startedAt.getTime() + web.timeoutMs + web.connectTimeoutMs + 5_000),
      maxInFlight: WEBHOOK_MAX_IN_FLIGHT,
    }),
  );
  if (start.outcome === "disabled") return `endpoint ${start.webhookId} is disabled`;
  if (start.outcome === "busy")
    throw new RetryAfter(BUSY_RETRY_MS, "endpoint at its in-flight cap");
  if (start.outcome !== "go") return `delivery ${deliveryId} is ${start.outcome}`;
  const { delivery } = start;
  const began = performance.now();
  const outcome = await attempt(delivery, web, startedAt);
  const latencyMs = Math.round(performance.now() - began);
  const statusCode = outcome.statusCode;
  const delivered = statusCode !== null && statusCode >= 200 && statusCode < 300;
  const error =
    outcome.error ??
    (delivered
      ? null
      : statusCode !== null && statusCode >= 300 && statusCode < 400
        ? `redirect (${statusCode}) not followed`
        : `answered ${statusCode}`);
  const attempts = delivery.attempts + 1;
  const final = !delivered && attempts >= WEBHOOK_MAX_ATTEMPTS;
  const now = deps.clock.now();
  await transaction(deps.db, async (tx) => {
    const streak = await recordWebhookAttempt(tx, {
      deliveryId,
      webhookId: delivery.webhook.id,
      attemptedAt: startedAt,
      statusCode,
      latencyMs,
      error,
      delivered,
      final,
    });
    if (delivered || !shouldDisableWebhook({ ...streak, now, deliveryExhausted: final })) return;
    const reason = final
      ? `a delivery failed ${attempts} times over more than a day (last: ${error})`
      : `${streak.consecutiveFailures} attempts in a row failed over more than a day (last: ${error})`;
    if (!(await disableWebhook(tx, delivery.webhook.id, { at: now, reason }))) return;
    const { organizationId } = delivery.webhook;
    await writeAudit(
      tx,
      { actor: null, requestId: `job:${job.id}`, clock: deps.clock },
      {
        action: "webhook.disable",
        targetType: "webhook",
        targetId: delivery.webhook.id,
        organizationId,
        details: { reason, url: delivery.webhook.url, automatic: true },
      },
    );
    const settingsUrl = new URL(
      organizationId ? `/organizations/${organizationId}` : "/webhooks",
      deps.publicUrl(),
    ).toString();
    const content = webhookDisabledMail({ url: delivery.webhook.url, reason, settingsUrl });
    for (const owner of await webhookOwnerEmails(tx, organizationId))
      await queueMail(tx, {
        to: owner.email,
        purpose: "webhook_disabled",
        content,
        userId: owner.userId,
      });
  });
  if (delivered) return `delivered (${statusCode}) after ${attempts} attempt(s)`;
  const delay = webhookRetryDelayMs(attempts);
  if (delay === null) return `failed for good after ${attempts} attempts: ${error}`;
  throw new RetryAfter(delay, `attempt ${attempts} failed: ${error}`);
}
