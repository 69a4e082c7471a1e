/**
 * Who may manage which webhook endpoint: a global one (no organization) only system
 * administrators; an organization's own, its admins (and system admins). An endpoint the
 * caller may not manage is "not found", like an unknown id.
 */
import crypto from "node:crypto";
import {
  checkWebhookUrl,
  DomainError,
  forbidden,
  isOrgAdmin,
  notFound,
  webhookUrlRefusalText,
  ZEventType,
  type Actor,
} from "@gatehouse/core";
import { findWebhook, type Tx, type WebhookRecord } from "@gatehouse/db";
import type { AppConfig } from "../../config.ts";
import { sealSecret, webhookSecretBinding } from "../../secrets.ts";
import { toIso, toIsoOrNull } from "../shared.schema.ts";
import type { ZWebhook } from "./shared.schema.ts";
import type { z } from "zod";

export function mayManageWebhooks(actor: Actor, organizationId: string | null): boolean {
  return organizationId === null ? actor.isSystemAdmin : isOrgAdmin(actor, organizationId);
}

export function assertMayManageWebhooks(actor: Actor, organizationId: string | null): void {
  if (!mayManageWebhooks(actor, organizationId)) {
    throw forbidden(
      organizationId === null
        ? "System administrators only (organization administrators add endpoints for their organization)"
        : "Organization administrators only",
    );
  }
}

/** The endpoint, when the caller may manage it; NOT_FOUND otherwise. */
export async function managedWebhook(
  tx: Tx,
  actor: Actor,
  webhookId: string,
): Promise<WebhookRecord> {
  const webhook = await findWebhook(tx, webhookId);
  if (!webhook || !mayManageWebhooks(actor, webhook.organizationId)) throw notFound("Webhook");
  return webhook;
}

/**
 * Refuses a URL Gatehouse must not POST to (http, credentials, a literal private, link-local
 * or metadata address; loopback unless GATEHOUSE_WEBHOOKS_ALLOW_HTTP), as a field error.
 * A name is checked again on its resolved addresses at every delivery.
 */
export function assertWebhookUrl(config: Pick<AppConfig, "webhooks">, url: string): void {
  const checked = checkWebhookUrl(url, { allowLoopback: config.webhooks.allowHttp });
  if (!checked.ok)
    throw new DomainError("BAD_REQUEST", `The URL ${webhookUrlRefusalText(checked.reason)}`, {
      field: "url",
    });
}

/** A new signing secret: `whsec_` and the base64 of 32 random bytes (Standard Webhooks). */
export function newWebhookSecret(): string {
  return `whsec_${crypto.randomBytes(32).toString("base64")}`;
}

/**
 * The signing secret sealed for storage, bound to its endpoint. Without an operator key
 * (GATEHOUSE_SECRETS_KEY; the embedded mode makes one) it cannot be kept: refused.
 */
export function sealWebhookSecret(
  config: Pick<AppConfig, "secretsKey">,
  webhookId: string,
  secret: string,
): string {
  if (!config.secretsKey) {
    throw new DomainError(
      "PRECONDITION_FAILED",
      "Webhook secrets are stored sealed: set GATEHOUSE_SECRETS_KEY (32 bytes) first",
    );
  }
  return sealSecret(config.secretsKey, secret, webhookSecretBinding(webhookId));
}

export function webhookOutput(w: WebhookRecord): z.infer<typeof ZWebhook> {
  return {
    id: w.id,
    organizationId: w.organizationId,
    url: w.url,
    eventTypes: w.eventTypes.flatMap((t) => {
      const parsed = ZEventType.safeParse(t);
      return parsed.success ? [parsed.data] : [];
    }),
    description: w.description,
    enabled: w.enabled,
    disabledAt: toIsoOrNull(w.disabledAt),
    disabledReason: w.disabledReason,
    consecutiveFailures: w.consecutiveFailures,
    previousSecretExpiresAt: toIsoOrNull(w.previousSecretExpiresAt),
    createdAt: toIso(w.createdAt),
    updatedAt: toIso(w.updatedAt),
  };
}
