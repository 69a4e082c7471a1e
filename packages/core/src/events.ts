/**
 * Events Gatehouse tells people about (budget crossed, team about to expire, a key blocked,
 * a region failing): their types, bodies and envelope, and the stable id that makes a
 * repeated signal the same event. The envelope is what webhooks receive
 * (`{ id, type, timestamp, organizationId, data }`), signed per Standard Webhooks; the same
 * event feeds the in-app notifications and the mails. The README documents each body.
 */
import { z } from "zod";

export const EVENT_TYPES = [
  "budget.threshold",
  "budget.forecast",
  "team.expiry_warning",
  "team.blocked",
  "team.unblocked",
  "key.blocked",
  "key.unblocked",
  "product.lapsed",
  "region.sync_failing",
  "region.drift",
  "jobs.failing",
  "test",
] as const;
export const ZEventType = z.enum(EVENT_TYPES);
export type EventType = (typeof EVENT_TYPES)[number];

/** Operations events: about the fleet, not an organization; only system admins get them. */
export const OPERATIONS_EVENT_TYPES = [
  "region.sync_failing",
  "region.drift",
  "jobs.failing",
] as const satisfies readonly EventType[];

export function isOperationsEvent(type: EventType): boolean {
  return (OPERATIONS_EVENT_TYPES as readonly EventType[]).includes(type);
}

const ZUsd = z.number().nonnegative();
const ZTime = z.iso.datetime({ offset: true });

/** The body (`data`) of each event type. */
export const eventBodies = {
  "budget.threshold": z.object({
    teamId: z.uuid(),
    /** Null: the team's total across regions. */
    regionId: z.uuid().nullable(),
    thresholdPercent: z.number().int().min(1).max(100),
    spendUsd: ZUsd,
    budgetUsd: ZUsd,
    /** When the budget period resets (re-arming the thresholds); null if it never does. */
    periodResetAt: ZTime.nullable(),
  }),
  "budget.forecast": z.object({
    teamId: z.uuid(),
    regionId: z.uuid().nullable(),
    spendUsd: ZUsd,
    budgetUsd: ZUsd,
    dailyRateUsd: ZUsd,
    /** The UTC day the budget runs out at the current daily rate. */
    exhaustedOn: z.iso.date(),
    periodResetAt: ZTime.nullable(),
  }),
  "team.expiry_warning": z.object({
    teamId: z.uuid(),
    daysLeft: z.number().int().nonnegative(),
    /** When the team will be blocked for expiry. */
    expiresAt: ZTime,
  }),
  "team.blocked": z.object({
    teamId: z.uuid(),
    /** A team block reason (`manual`, `expired`). */
    reason: z.string(),
    note: z.string().nullable(),
  }),
  "team.unblocked": z.object({
    teamId: z.uuid(),
    reason: z.string(),
  }),
  "key.blocked": z.object({
    teamId: z.uuid(),
    keyId: z.uuid(),
    keyName: z.string(),
    /** A key block reason (`manual`, `owner_disabled`, `owner_left`, `key_expired`...). */
    reason: z.string(),
    note: z.string().nullable(),
  }),
  "key.unblocked": z.object({
    teamId: z.uuid(),
    keyId: z.uuid(),
    keyName: z.string(),
    reason: z.string(),
  }),
  "product.lapsed": z.object({
    teamId: z.uuid(),
    productId: z.uuid(),
    productName: z.string(),
    lapsedAt: ZTime,
  }),
  "region.sync_failing": z.object({
    regionId: z.uuid(),
    regionName: z.string(),
    /** Which periodic read is failing. */
    operation: z.enum(["spend_sync", "reconcile", "jobs"]),
    failingSince: ZTime,
    error: z.string().nullable(),
  }),
  "region.drift": z.object({
    regionId: z.uuid(),
    regionName: z.string(),
    reconciliationId: z.string(),
    differences: z.number().int().nonnegative(),
  }),
  "jobs.failing": z.object({
    failedJobs: z.number().int().nonnegative(),
    /** Age of the oldest job waiting to run, in seconds. */
    oldestPendingSeconds: z.number().nonnegative(),
    regionId: z.uuid().nullable(),
  }),
  test: z.object({
    message: z.string(),
    webhookId: z.uuid().nullable(),
  }),
} as const satisfies { [K in EventType]: z.ZodType };

export type EventBody<K extends EventType> = z.infer<(typeof eventBodies)[K]>;

/** An event as webhooks receive it (Standard Webhooks' `webhook-id` is its `id`). */
export type EventEnvelope<K extends EventType = EventType> = {
  [T in K]: {
    id: string;
    type: T;
    /** When the signal happened (ISO 8601). */
    timestamp: string;
    /** Null for operations events and global tests. */
    organizationId: string | null;
    /** The team it concerns, when there is one (not sent: it is in `data`). */
    teamId: string | null;
    data: EventBody<T>;
  };
}[K];

export const ZEventEnvelope = z.object({
  id: z.string().min(1).max(300),
  type: ZEventType,
  timestamp: ZTime,
  organizationId: z.uuid().nullable(),
  data: z.record(z.string(), z.unknown()),
});

/** What a webhook's body is: the envelope without Gatehouse's own routing fields. */
export function webhookPayload(event: EventEnvelope): {
  id: string;
  type: EventType;
  timestamp: string;
  organizationId: string | null;
  data: unknown;
} {
  return {
    id: event.id,
    type: event.type,
    timestamp: event.timestamp,
    organizationId: event.organizationId,
    data: event.data,
  };
}

/**
 * The stable id of an event: the same subject, period and threshold give the same id, so a
 * signal evaluated twice (a second sync, a retried job, two workers) is one event, and
 * receivers that drop duplicates by `webhook-id` drop it too. `parts` are what makes the
 * signal distinct beside its type (team id, region id or "total", the period's reset as epoch
 * milliseconds, the threshold...). Plain text rather than a hash: set-based SQL builds the
 * same id with `concat_ws('/', ...)` (a db test holds the two forms equal), core runs in the
 * browser too (no node:crypto), and an operator can read what an id is about.
 * e.g. `budget.threshold/6f1c…/total/1767225600000/90`.
 */
export function eventId(type: EventType, parts: ReadonlyArray<string | number | null>): string {
  return [type, ...parts.map((p) => (p === null ? "-" : String(p)))].join("/");
}

/** Who gets an organization's events by mail, per type. */
export const RECIPIENT_GROUPS = ["team_admins", "org_admins", "system_admins"] as const;
export const ZRecipientGroup = z.enum(RECIPIENT_GROUPS);
export type RecipientGroup = (typeof RECIPIENT_GROUPS)[number];

export const DEFAULT_BUDGET_THRESHOLDS = [50, 75, 90, 100] as const;
export const DEFAULT_EXPIRY_WARNING_DAYS = [14, 7, 1] as const;

/** Mail recipients per type when an organization has not chosen (team events reach the
 * team's admins and the organization's admins; operations events system admins). */
export const DEFAULT_EMAIL_RECIPIENTS: Readonly<Record<EventType, readonly RecipientGroup[]>> = {
  "budget.threshold": ["team_admins", "org_admins"],
  "budget.forecast": ["team_admins", "org_admins"],
  "team.expiry_warning": ["team_admins", "org_admins"],
  "team.blocked": ["team_admins", "org_admins"],
  "team.unblocked": ["team_admins", "org_admins"],
  "key.blocked": ["team_admins"],
  "key.unblocked": ["team_admins"],
  "product.lapsed": ["team_admins", "org_admins"],
  "region.sync_failing": ["system_admins"],
  "region.drift": ["system_admins"],
  "jobs.failing": ["system_admins"],
  test: [],
};

function sortedUnique(values: number[]): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}

/** An organization's alert settings (alerts.getSettings / updateSettings). */
export const ZAlertSettings = z.object({
  budgetThresholds: z
    .array(z.number().int().min(1).max(100))
    .min(1)
    .max(10)
    .transform(sortedUnique),
  expiryWarningDays: z.array(z.number().int().min(1).max(365)).max(10).transform(sortedUnique),
  emailRecipients: z.partialRecord(ZEventType, z.array(ZRecipientGroup).max(3)),
});
export type AlertSettings = z.output<typeof ZAlertSettings>;

export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  budgetThresholds: [...DEFAULT_BUDGET_THRESHOLDS],
  expiryWarningDays: [...DEFAULT_EXPIRY_WARNING_DAYS],
  emailRecipients: { ...DEFAULT_EMAIL_RECIPIENTS } as AlertSettings["emailRecipients"],
};

/** The mail recipients of a type under an organization's settings (defaults where unset). */
export function emailRecipientsFor(settings: AlertSettings, type: EventType): RecipientGroup[] {
  return [...(settings.emailRecipients[type] ?? DEFAULT_EMAIL_RECIPIENTS[type])];
}
