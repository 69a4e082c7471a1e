/**
 * Webhook deliveries: one row per (endpoint, event), written with its job in the dispatch's
 * transaction; each POST recorded as an attempt. The job payload names the delivery only;
 * the body is fixed on the row when queued, so every retry sends the same bytes under the
 * same `webhook-id`.
 */
import { jobs, type EventEnvelope, webhookPayload } from "@gatehouse/core";
import type { Database } from "../client.ts";
import { Prisma } from "../generated/prisma/client.ts";
import { enqueueJobs } from "../jobs/enqueue.ts";
import type { Tx } from "../transaction.ts";

/**
 * Attempts the queue allows one delivery job. The delivery counts its own POSTs (core
 * WEBHOOK_MAX_ATTEMPTS) and ends its job itself; the job's count also grows while it waits
 * for a free slot under the per-endpoint cap or a worker restarts, so it is set far above.
 */
export const WEBHOOK_JOB_MAX_ATTEMPTS = 10_000;

/**
 * Queues a delivery for every enabled endpoint that wants the event: the event's
 * organization's and the global ones subscribed to its type (an operations event has no
 * organization: global ones only). A `test` event goes to the one endpoint it names.
 * Returns how many were queued (an endpoint that already has the event gets none).
 */
export async function queueWebhookDeliveries(tx: Tx, event: EventEnvelope): Promise<number> {
  const body = JSON.stringify(webhookPayload(event));
  const testTarget =
    event.type === "test" ? (event.data as { webhookId: string | null }).webhookId : null;
  if (event.type === "test" && !testTarget) return 0;
  const rows = await tx.$queryRaw<Array<{ id: string }>>(Prisma.sql`
    INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, payload)
    SELECT w.id, ${event.id}, ${event.type}, ${body}
      FROM webhooks w
     WHERE w.enabled
       AND ${
         testTarget
           ? Prisma.sql`w.id = ${testTarget}::uuid`
           : Prisma.sql`${event.type} = ANY(w.event_types)
                AND (w.organization_id IS NULL OR w.organization_id = ${event.organizationId}::uuid)`
       }
    ON CONFLICT (webhook_id, event_id) DO NOTHING
    RETURNING id::text`);
  await enqueueJobs(
    tx,
    rows.map((r) => ({
      ...jobs.deliverWebhook({ deliveryId: r.id }),
      maxAttempts: WEBHOOK_JOB_MAX_ATTEMPTS,
    })),
  );
  return rows.length;
}

/** What one attempt needs: the body and the endpoint with its sealed secrets. */
export interface DeliveryToAttempt {
  deliveryId: string;
  eventId: string;
  payload: string;
  /** POSTs made before this one. */
  attempts: number;
  webhook: {
    id: string;
    organizationId: string | null;
    url: string;
    secretSealed: string;
    previousSecretSealed: string | null;
    previousSecretExpiresAt: Date | null;
  };
}

export type AttemptStart =
  | { outcome: "gone" | "settled" }
  | { outcome: "disabled"; webhookId: string }
  | { outcome: "busy" }
  | { outcome: "go"; delivery: DeliveryToAttempt };

/**
 * Takes one of the endpoint's in-flight slots for this delivery until `leaseUntil`, under
 * the endpoint's row lock, so two workers counting at once cannot both take the last slot.
 * A delivery whose endpoint was disabled (or deleted) is settled FAILED instead; one
 * already settled (a job run twice) is left alone. A slot whose worker died frees itself
 * when its lease passes.
 */
export async function startWebhookAttempt(
  tx: Tx,
  deliveryId: string,
  input: { now: Date; leaseUntil: Date; maxInFlight: number },
): Promise<AttemptStart> {
  const delivery = await tx.webhookDelivery.findUnique({
    where: { id: deliveryId },
    select: { id: true, webhookId: true, status: true },
  });
  if (!delivery) return { outcome: "gone" };
  const locked = await tx.$queryRaw<
    Array<{
      id: string;
      organization_id: string | null;
      url: string;
      enabled: boolean;
      secret_sealed: string;
      previous_secret_sealed: string | null;
      previous_secret_expires_at: Date | null;
    }>
  >(Prisma.sql`
    SELECT id::text, organization_id::text, url, enabled, secret_sealed, previous_secret_sealed,
           previous_secret_expires_at
      FROM webhooks WHERE id = ${delivery.webhookId}::uuid FOR UPDATE`);
  const webhook = locked[0];
  if (!webhook) return { outcome: "gone" };
  const current = await tx.webhookDelivery.findUniqueOrThrow({
    where: { id: deliveryId },
    select: { status: true, attempts: true, eventId: true, payload: true },
  });
  if (current.status !== "PENDING") return { outcome: "settled" };
  if (!webhook.enabled) {
    await tx.webhookDelivery.update({
      where: { id: deliveryId },
      data: { status: "FAILED", inFlightUntil: null },
    });
    return { outcome: "disabled", webhookId: webhook.id };
  }
  const inFlight = await tx.webhookDelivery.count({
    where: {
      webhookId: webhook.id,
      id: { not: deliveryId },
      inFlightUntil: { gt: input.now },
    },
  });
  if (inFlight >= input.maxInFlight) return { outcome: "busy" };
  await tx.webhookDelivery.update({
    where: { id: deliveryId },
    data: { inFlightUntil: input.leaseUntil },
  });
  return {
    outcome: "go",
    delivery: {
      deliveryId,
      eventId: current.eventId,
      payload: current.payload,
      attempts: current.attempts,
      webhook: {
        id: webhook.id,
        organizationId: webhook.organization_id,
        url: webhook.url,
        secretSealed: webhook.secret_sealed,
        previousSecretSealed: webhook.previous_secret_sealed,
        previousSecretExpiresAt: webhook.previous_secret_expires_at,
      },
    },
  };
}

export interface AttemptResult {
  deliveryId: string;
  webhookId: string;
  attemptedAt: Date;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  delivered: boolean;
  /** No attempt is left after this one (the delivery is FAILED unless delivered). */
  final: boolean;
}

/** The endpoint's failure streak after an attempt, for the disable decision. */
export interface EndpointStreak {
  consecutiveFailures: number;
  failingSince: Date | null;
}

/**
 * Records one POST: its attempt row, the delivery's count and state (its in-flight slot
 * freed), and the endpoint's failure streak (reset by a success).
 */
export async function recordWebhookAttempt(tx: Tx, result: AttemptResult): Promise<EndpointStreak> {
  await tx.webhookDeliveryAttempt.create({
    data: {
      deliveryId: result.deliveryId,
      webhookId: result.webhookId,
      attemptedAt: result.attemptedAt,
      statusCode: result.statusCode,
      latencyMs: result.latencyMs,
      error: result.error === null ? null : result.error.slice(0, 500),
    },
  });
  await tx.webhookDelivery.update({
    where: { id: result.deliveryId },
    data: {
      attempts: { increment: 1 },
      lastStatusCode: result.statusCode,
      inFlightUntil: null,
      status: result.delivered ? "DELIVERED" : result.final ? "FAILED" : "PENDING",
    },
  });
  const rows = await tx.$queryRaw<
    Array<{ consecutive_failures: number; failing_since: Date | null }>
  >(
    result.delivered
      ? Prisma.sql`UPDATE webhooks SET consecutive_failures = 0, failing_since = NULL
                     WHERE id = ${result.webhookId}::uuid
                 RETURNING consecutive_failures, failing_since`
      : Prisma.sql`UPDATE webhooks SET consecutive_failures = consecutive_failures + 1,
                          failing_since = coalesce(failing_since, ${result.attemptedAt})
                     WHERE id = ${result.webhookId}::uuid
                 RETURNING consecutive_failures, failing_since`,
  );
  const row = rows[0];
  return {
    consecutiveFailures: row?.consecutive_failures ?? 0,
    failingSince: row?.failing_since ?? null,
  };
}

/** One line of an endpoint's delivery log. */
export interface WebhookAttemptRecord {
  id: string;
  deliveryId: string;
  eventId: string;
  eventType: string;
  attemptedAt: Date;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  /** The delivery's state and POSTs so far (not only this attempt's). */
  deliveryStatus: "PENDING" | "DELIVERED" | "FAILED";
  deliveryAttempts: number;
}

/** An endpoint's attempts, newest first, keyset-paged on (attempted_at, id). */
export async function listWebhookAttempts(
  db: Database,
  input: { webhookId: string; after: { attemptedAt: Date; id: string } | null; take: number },
): Promise<WebhookAttemptRecord[]> {
  const { after } = input;
  const rows = await db.prisma.webhookDeliveryAttempt.findMany({
    where: {
      webhookId: input.webhookId,
      ...(after
        ? {
            OR: [
              { attemptedAt: { lt: after.attemptedAt } },
              { attemptedAt: after.attemptedAt, id: { lt: after.id } },
            ],
          }
        : {}),
    },
    orderBy: [{ attemptedAt: "desc" }, { id: "desc" }],
    take: input.take,
    select: {
      id: true,
      deliveryId: true,
      attemptedAt: true,
      statusCode: true,
      latencyMs: true,
      error: true,
      delivery: { select: { eventId: true, eventType: true, status: true, attempts: true } },
    },
  });
  return rows.map((r) => ({
    id: r.id,
    deliveryId: r.deliveryId,
    eventId: r.delivery.eventId,
    eventType: r.delivery.eventType,
    attemptedAt: r.attemptedAt,
    statusCode: r.statusCode,
    latencyMs: r.latencyMs,
    error: r.error,
    deliveryStatus: r.delivery.status,
    deliveryAttempts: r.delivery.attempts,
  }));
}
