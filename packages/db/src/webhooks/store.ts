/**
 * Webhook endpoints as the settings procedures read and write them. The sealed secrets
 * leave this module only through `startWebhookAttempt` (deliveries.ts), which the worker
 * opens to sign; listings never select them.
 */
import type { Database } from "../client.ts";
import type { Tx } from "../transaction.ts";

export interface WebhookRecord {
  id: string;
  organizationId: string | null;
  url: string;
  eventTypes: string[];
  description: string;
  enabled: boolean;
  disabledAt: Date | null;
  disabledReason: string | null;
  consecutiveFailures: number;
  /** Until when the secret before the last rotation still signs (null: no overlap). */
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const publicSelect = {
  id: true,
  organizationId: true,
  url: true,
  eventTypes: true,
  description: true,
  enabled: true,
  disabledAt: true,
  disabledReason: true,
  consecutiveFailures: true,
  previousSecretExpiresAt: true,
  createdAt: true,
  updatedAt: true,
} as const;

export interface NewWebhook {
  id: string;
  organizationId: string | null;
  url: string;
  eventTypes: readonly string[];
  description: string;
  secretSealed: string;
}

export async function insertWebhook(tx: Tx, input: NewWebhook): Promise<WebhookRecord> {
  return tx.webhook.create({
    data: {
      id: input.id,
      organizationId: input.organizationId,
      url: input.url,
      eventTypes: [...input.eventTypes],
      description: input.description,
      secretSealed: input.secretSealed,
    },
    select: publicSelect,
  });
}

/** One organization's endpoints, or (`global`) the global ones; oldest first. */
export async function listWebhooks(
  db: Database | Tx,
  scope: { organizationId: string } | { global: true },
): Promise<WebhookRecord[]> {
  const reader = "prisma" in db ? db.prisma : db;
  return reader.webhook.findMany({
    where: { organizationId: "organizationId" in scope ? scope.organizationId : null },
    select: publicSelect,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
}

export async function findWebhook(db: Database | Tx, id: string): Promise<WebhookRecord | null> {
  const reader = "prisma" in db ? db.prisma : db;
  return reader.webhook.findUnique({ where: { id }, select: publicSelect });
}

export interface WebhookPatch {
  url?: string;
  eventTypes?: readonly string[];
  description?: string;
  enabled?: boolean;
}

/**
 * Changes an endpoint. Enabling one that was disabled clears why and its failure count:
 * it starts over, and its next sustained failure disables it again.
 */
export async function updateWebhook(
  tx: Tx,
  id: string,
  patch: WebhookPatch,
  at: Date,
): Promise<WebhookRecord> {
  const current = await tx.webhook.findUniqueOrThrow({ where: { id }, select: { enabled: true } });
  const enabling = patch.enabled === true && !current.enabled;
  const disabling = patch.enabled === false && current.enabled;
  return tx.webhook.update({
    where: { id },
    data: {
      ...(patch.url !== undefined ? { url: patch.url } : {}),
      ...(patch.eventTypes !== undefined ? { eventTypes: [...patch.eventTypes] } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(enabling
        ? {
            enabled: true,
            disabledAt: null,
            disabledReason: null,
            consecutiveFailures: 0,
            failingSince: null,
          }
        : {}),
      ...(disabling ? { enabled: false, disabledAt: at, disabledReason: "disabled by hand" } : {}),
    },
    select: publicSelect,
  });
}

export async function deleteWebhook(tx: Tx, id: string): Promise<void> {
  await tx.webhook.delete({ where: { id } });
}

/**
 * A new signing secret; the current one becomes the previous, still signing until
 * `previousExpiresAt` (a rotation during an overlap drops the older one).
 */
export async function rotateWebhookSecret(
  tx: Tx,
  id: string,
  input: { secretSealed: string; previousExpiresAt: Date },
): Promise<void> {
  const { secretSealed } = await tx.webhook.findUniqueOrThrow({
    where: { id },
    select: { secretSealed: true },
  });
  await tx.webhook.update({
    where: { id },
    data: {
      secretSealed: input.secretSealed,
      previousSecretSealed: secretSealed,
      previousSecretExpiresAt: input.previousExpiresAt,
    },
  });
}

/**
 * Disables an endpoint for sustained failure; false when it already was (two deliveries
 * failing at once disable, audit and mail once).
 */
export async function disableWebhook(
  tx: Tx,
  id: string,
  input: { at: Date; reason: string },
): Promise<boolean> {
  const { count } = await tx.webhook.updateMany({
    where: { id, enabled: true },
    data: { enabled: false, disabledAt: input.at, disabledReason: input.reason },
  });
  return count > 0;
}

/**
 * Who is told about an organization's endpoint (its active admins) or a global one (the
 * active system admins).
 */
export async function webhookOwnerEmails(
  tx: Tx,
  organizationId: string | null,
): Promise<Array<{ userId: string; email: string }>> {
  const rows = await tx.user.findMany({
    where: organizationId
      ? { isActive: true, orgMemberships: { some: { organizationId, role: "ORG_ADMIN" } } }
      : { isActive: true, isSystemAdmin: true },
    select: { id: true, email: true },
    orderBy: { email: "asc" },
  });
  return rows.map((r) => ({ userId: r.id, email: r.email }));
}
