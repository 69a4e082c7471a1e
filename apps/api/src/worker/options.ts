/**
 * What a worker is started with and what it offers: the options (tuning, from
 * WORKER_DEFAULTS when unset; policy, from the configuration) and the Worker handle.
 */
import { KNOWN_PLACE_MS, type TProductLimits } from "@gatehouse/core";
import type { Clock } from "../clock.ts";
import { publicUrlOf, type AppConfig } from "../config.ts";
import type { MailSettings } from "../mail/transport.ts";
import type { RegionObserverFactory } from "../litellm/region-clients.ts";
import type { ExpiryOptions } from "./schedules.ts";
import type { WebhookDeliveryDeps } from "../events/deliver-webhook.ts";

export interface WorkerOptions {
  workerId?: string;
  /** Unset: WORKER_DEFAULTS (config.ts) for these four. */
  concurrency?: number;
  pollIntervalMs?: number;
  leaseMs?: number;
  requestTimeoutMs?: number;
  /**
   * Jobs claimed ahead of free slots, so a slot that frees up starts its next job at once
   * and claims come in large batches. Default: 8 x concurrency. A prefetched job still
   * waiting when half its lease has gone is handed back instead of started (so it never
   * runs past its lease when the calls ahead of it hang until their timeout).
   */
  prefetch?: number;
  /** Operator key that opens sealed key secrets (restoreKey jobs); null: such jobs fail. */
  secretsKey?: Buffer | null;
  /** Keys of a rotation under way (GATEHOUSE_SECRETS_KEY_PREVIOUS): they still open. */
  previousSecretsKeys?: readonly Buffer[];
  /** Reconcile every active region this often (report only); 0 or unset: never. */
  reconcileIntervalMs?: number;
  /** Read every active region's spend this often (GATEHOUSE_SPEND_SYNC_INTERVAL_MS); 0 or unset: never. */
  spendSyncIntervalMs?: number;
  /** Entitlement of a team with no active product (GATEHOUSE_DEFAULT_ENTITLEMENT). */
  defaultEntitlement?: TProductLimits;
  /**
   * The expiry sweep (GATEHOUSE_ENFORCE_INTERVAL_MS; 0 or unset: never), with the expiry
   * grace (GATEHOUSE_EXPIRY_GRACE_DAYS) and the extra days before blocking
   * (GATEHOUSE_EXPIRED_BLOCK_GRACE_DAYS).
   */
  enforce?: ExpiryOptions;
  /**
   * Outgoing mail (GATEHOUSE_SMTP_URL, GATEHOUSE_MAIL_FROM): the worker holds the one
   * pooled SMTP transport of its process. Unset or no URL: mails go to the local outbox.
   */
  mail?: MailSettings;
  /**
   * The origin links in mails point at (publicUrlOf(config)); read when a job runs, so a
   * server bound after the worker started (port 0) is known. Default: http://localhost.
   */
  publicUrl?: () => string;
  /** Time for what local jobs record (a mail's sentAt, audit events); default: the system's. */
  clock?: Clock;
  /**
   * Webhook deliveries: loopback receivers allowed (GATEHOUSE_WEBHOOKS_ALLOW_HTTP), the
   * resolver (tests inject one) and the timeouts. Unset: https to public addresses only,
   * the system resolver, WEBHOOK_TIMEOUTS.
   */
  webhooks?: Partial<
    Pick<WebhookDeliveryDeps, "allowHttp" | "resolve" | "connectTimeoutMs" | "timeoutMs">
  >;
  /** Observer for each region's LiteLLM calls (metrics). */
  observeLiteLLM?: RegionObserverFactory;
  /** Told how many merges this worker settled, by outcome (metrics). */
  onMergesSettled?: (outcome: "done" | "failed", count: number) => void;
}

/** When the worker's loop last went round healthily, for readiness checks. */
export interface WorkerHeartbeat {
  /** Date.now() of the last successful claim (or of a round that needed none). */
  lastActiveAt: number;
  leaseMs: number;
}

export interface Worker {
  readonly id: string;
  stop(): Promise<void>;
  /** Resolves once the queue has no runnable job and nothing is in flight (tests). */
  drained(): Promise<void>;
  /** Look for work now instead of at the next poll (e.g. right after a merge commits). */
  nudge(): void;
  /** A worker that has not gone round for longer than its lease is stuck (or its DB is gone). */
  heartbeat(): WorkerHeartbeat;
  /** Runs the periodic reconciliation's round now (a no-op when it is disabled). */
  reconcileDue(): Promise<void>;
  /** Runs the expiry sweep now (a no-op when it is not configured). */
  enforceDue(): Promise<void>;
  /** Runs the spend sync's round now (a no-op when it is disabled). */
  spendSyncDue(): Promise<void>;
}

/** The worker options that come from the configuration rather than worker tuning. */
export function workerPolicy(
  config: AppConfig,
): Pick<
  WorkerOptions,
  | "secretsKey"
  | "previousSecretsKeys"
  | "reconcileIntervalMs"
  | "spendSyncIntervalMs"
  | "defaultEntitlement"
  | "enforce"
  | "mail"
  | "publicUrl"
  | "webhooks"
> {
  return {
    secretsKey: config.secretsKey,
    previousSecretsKeys: config.previousSecretsKeys,
    reconcileIntervalMs: config.reconcileIntervalMs,
    spendSyncIntervalMs: config.spendSyncIntervalMs,
    defaultEntitlement: config.defaultEntitlement,
    enforce: {
      intervalMs: config.enforceIntervalMs,
      expiryGraceDays: config.expiryGraceDays,
      extraGraceDays: config.expiredBlockGraceDays,
      spendRetentionDays: config.spendRetentionDays,
      // A known place lives longest unless an operator set a longer login window.
      rateLimitRetentionMs: Math.max(KNOWN_PLACE_MS, config.login.windowMs),
    },
    mail: config.mail,
    publicUrl: () => publicUrlOf(config),
    webhooks: { allowHttp: config.webhooks.allowHttp },
  };
}
