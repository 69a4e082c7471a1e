/**
 * When Gatehouse raises an event (core events.ts), as pure rules: which budget thresholds a
 * reading has crossed, when a team's budget runs out at its current daily rate, which expiry
 * warning is due, and one envelope builder per event type with the parts that make its id
 * stable. packages/db evaluates the same rules set-based in SQL (a million teams cannot go
 * through JavaScript); its tests hold the SQL ids equal to the ones built here.
 *
 * Id parts, and why:
 * - budget.threshold: (team, region or "total", period reset as epoch ms or "-", threshold).
 *   The proxy moves `budget_reset_at` forward when it resets the budget, so a new period has
 *   a new id and re-arms every threshold; a team without a reset date warns once ever.
 * - budget.forecast: (team, region or "total", period reset, exhausted-on day): a forecast
 *   is repeated only when the day it predicts moves, not at every sync.
 * - team.expiry_warning: (team, expiry instant as epoch ms, days threshold): a payment moves
 *   the expiry and re-arms the warnings; each threshold warns once per expiry.
 * - team.blocked / team.unblocked: (team, reason, block's created_at epoch ms): one pair per
 *   block episode (the unblock names the block it lifts, so a lift seen twice is one event).
 * - key.blocked / key.unblocked: (key, reason, block's created_at epoch ms), same.
 * - product.lapsed: (team, product, lapsed_at epoch ms).
 * - region.sync_failing: (region, operation, failing-since epoch ms): once per episode.
 * - region.drift: (region, reconciliation id): once per reconciliation that found any.
 * - jobs.failing: (region or "-", the episode's start as epoch ms): once per episode.
 */
import { eventId, type EventBody, type EventEnvelope, type EventType } from "./events.ts";
import { roundUsd, utcDay } from "./spend.ts";

const DAY_MS = 86_400_000;

/** An instant as an id part: epoch milliseconds, or null ("-") when there is none. */
export function epochPart(at: Date | null): number | null {
  return at === null ? null : at.getTime();
}

/** The id part of a budget scope: the region's id, or "total" for the team across regions. */
export function scopePart(regionId: string | null): string {
  return regionId ?? "total";
}

/**
 * The thresholds (percent of the budget) a spend has reached, ascending: every configured
 * threshold at or below spend / budget, so a sync that jumps from 40 % to 95 % raises 50, 75
 * and 90 at once. Nothing without a positive budget (no budget is not a zero budget).
 * Compared as spend * 100 >= threshold * budget, as the SQL does (no division to round).
 */
export function thresholdsCrossed(
  spendUsd: number,
  budgetUsd: number | null,
  thresholds: readonly number[],
): number[] {
  if (budgetUsd === null || budgetUsd <= 0) return [];
  return [...new Set(thresholds)]
    .filter((t) => roundUsd(spendUsd * 100) >= roundUsd(t * budgetUsd))
    .sort((a, b) => a - b);
}

/** Days of history the forecast's daily rate is taken over. */
export const FORECAST_WINDOW_DAYS = 7;
/** Without a reset date, a forecast is raised only for exhaustion within this many days. */
export const FORECAST_HORIZON_DAYS = 30;

export interface ForecastInput {
  /** The current reading, cumulative for the period (the proxy's `spend`). */
  spendUsd: number;
  budgetUsd: number | null;
  budgetResetAt: Date | null;
  /** When the reading was taken. */
  asOf: Date;
  /**
   * The baseline: the oldest daily point of the same period (same `budget_reset_at`) dated
   * within the last FORECAST_WINDOW_DAYS days before `asOf`'s day; null when there is none.
   */
  baseline: { day: string; spendUsd: number } | null;
}

export interface Forecast {
  dailyRateUsd: number;
  /** The UTC day the budget runs out at that rate. */
  exhaustedOn: string;
}

/** `YYYY-MM-DD` as the instant of that day's start (UTC). */
function dayStart(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

/**
 * The daily rate since the baseline, and the day the remaining budget runs out at it, when
 * that is before the period resets (or within FORECAST_HORIZON_DAYS without a reset date).
 * Null when there is no budget, no baseline before today, no spend since it, or the budget
 * is already spent (the 100 % threshold says that). The rate is the spend since the
 * baseline's day over the whole days since: a day of history, or a week, not a minute's.
 */
export function forecastExhaustion(input: ForecastInput): Forecast | null {
  const { spendUsd, budgetUsd, budgetResetAt, asOf, baseline } = input;
  if (budgetUsd === null || budgetUsd <= 0 || baseline === null) return null;
  const days = Math.round((dayStart(utcDay(asOf)) - dayStart(baseline.day)) / DAY_MS);
  if (days < 1) return null;
  const rate = (spendUsd - baseline.spendUsd) / days;
  const remaining = budgetUsd - spendUsd;
  if (rate <= 0 || remaining <= 0) return null;
  const exhaustedAt = asOf.getTime() + (remaining / rate) * DAY_MS;
  const limit = budgetResetAt?.getTime() ?? asOf.getTime() + FORECAST_HORIZON_DAYS * DAY_MS;
  if (exhaustedAt >= limit) return null;
  return { dailyRateUsd: roundUsd(rate), exhaustedOn: utcDay(new Date(exhaustedAt)) };
}

/** Sums per-region forecasts' inputs into the team's total (rates add, budgets add). */
export function totalForecast(
  regions: ReadonlyArray<{
    spendUsd: number;
    budgetUsd: number | null;
    budgetResetAt: Date | null;
    dailyRateUsd: number;
  }>,
  asOf: Date,
): Forecast | null {
  const budgets = regions.filter((r) => r.budgetUsd !== null);
  if (budgets.length === 0) return null;
  const spend = regions.reduce((s, r) => s + r.spendUsd, 0);
  const budget = budgets.reduce((s, r) => s + (r.budgetUsd ?? 0), 0);
  const rate = regions.reduce((s, r) => s + r.dailyRateUsd, 0);
  const resets = regions.flatMap((r) => (r.budgetResetAt ? [r.budgetResetAt.getTime()] : []));
  const remaining = budget - spend;
  if (budget <= 0 || rate <= 0 || remaining <= 0) return null;
  const exhaustedAt = asOf.getTime() + (remaining / rate) * DAY_MS;
  const limit = resets.length
    ? Math.min(...resets)
    : asOf.getTime() + FORECAST_HORIZON_DAYS * DAY_MS;
  if (exhaustedAt >= limit) return null;
  return { dailyRateUsd: roundUsd(rate), exhaustedOn: utcDay(new Date(exhaustedAt)) };
}

/** When a team is blocked for expiry: its last payment (or creation) plus the whole grace. */
export function teamExpiresAt(
  lastPaymentAt: Date | null,
  createdAt: Date,
  graceDays: number,
): Date {
  return new Date((lastPaymentAt ?? createdAt).getTime() + graceDays * DAY_MS);
}

/** Whole days left until `expiresAt`, rounded up (23 hours left is 1 day left). */
export function daysLeft(expiresAt: Date, now: Date): number {
  return Math.ceil((expiresAt.getTime() - now.getTime()) / DAY_MS);
}

/**
 * The expiry warning due now: the smallest configured threshold at or above the days left
 * (with 14, 7 and 1, a team 5 days from expiry is warned "7", and "1" on its last day). Only
 * the tightest one: a team that learns of its expiry late gets one warning, not a backlog
 * of stale ones. Null when already expired or further away than every threshold.
 */
export function expiryWarningDue(
  expiresAt: Date,
  now: Date,
  warningDays: readonly number[],
): { threshold: number; daysLeft: number } | null {
  if (expiresAt.getTime() <= now.getTime()) return null;
  const left = daysLeft(expiresAt, now);
  const due = warningDays.filter((d) => d >= left);
  if (due.length === 0) return null;
  return { threshold: Math.min(...due), daysLeft: left };
}

// --- envelopes, one per type -------------------------------------------------------------

function envelope<K extends EventType>(
  type: K,
  parts: ReadonlyArray<string | number | null>,
  at: Date,
  organizationId: string | null,
  teamId: string | null,
  data: EventBody<K>,
): EventEnvelope<K> {
  return {
    id: eventId(type, parts),
    type,
    timestamp: at.toISOString(),
    organizationId,
    teamId,
    data,
  } as EventEnvelope<K>;
}

interface TeamSubject {
  organizationId: string | null;
  at: Date;
}

export function budgetThresholdEvent(
  subject: TeamSubject & {
    teamId: string;
    regionId: string | null;
    thresholdPercent: number;
    spendUsd: number;
    budgetUsd: number;
    periodResetAt: Date | null;
  },
): EventEnvelope<"budget.threshold"> {
  return envelope(
    "budget.threshold",
    [
      subject.teamId,
      scopePart(subject.regionId),
      epochPart(subject.periodResetAt),
      subject.thresholdPercent,
    ],
    subject.at,
    subject.organizationId,
    subject.teamId,
    {
      teamId: subject.teamId,
      regionId: subject.regionId,
      thresholdPercent: subject.thresholdPercent,
      spendUsd: subject.spendUsd,
      budgetUsd: subject.budgetUsd,
      periodResetAt: subject.periodResetAt?.toISOString() ?? null,
    },
  );
}

export function budgetForecastEvent(
  subject: TeamSubject & {
    teamId: string;
    regionId: string | null;
    spendUsd: number;
    budgetUsd: number;
    periodResetAt: Date | null;
    forecast: Forecast;
  },
): EventEnvelope<"budget.forecast"> {
  return envelope(
    "budget.forecast",
    [
      subject.teamId,
      scopePart(subject.regionId),
      epochPart(subject.periodResetAt),
      subject.forecast.exhaustedOn,
    ],
    subject.at,
    subject.organizationId,
    subject.teamId,
    {
      teamId: subject.teamId,
      regionId: subject.regionId,
      spendUsd: subject.spendUsd,
      budgetUsd: subject.budgetUsd,
      dailyRateUsd: subject.forecast.dailyRateUsd,
      exhaustedOn: subject.forecast.exhaustedOn,
      periodResetAt: subject.periodResetAt?.toISOString() ?? null,
    },
  );
}

export function expiryWarningEvent(
  subject: TeamSubject & { teamId: string; expiresAt: Date; threshold: number; daysLeft: number },
): EventEnvelope<"team.expiry_warning"> {
  return envelope(
    "team.expiry_warning",
    [subject.teamId, subject.expiresAt.getTime(), subject.threshold],
    subject.at,
    subject.organizationId,
    subject.teamId,
    {
      teamId: subject.teamId,
      daysLeft: subject.daysLeft,
      expiresAt: subject.expiresAt.toISOString(),
    },
  );
}

export function teamBlockEvent(
  subject: TeamSubject & {
    lifted: boolean;
    teamId: string;
    reason: string;
    note: string | null;
    blockCreatedAt: Date;
  },
): EventEnvelope<"team.blocked" | "team.unblocked"> {
  const parts = [subject.teamId, subject.reason, subject.blockCreatedAt.getTime()];
  return subject.lifted
    ? envelope("team.unblocked", parts, subject.at, subject.organizationId, subject.teamId, {
        teamId: subject.teamId,
        reason: subject.reason,
      })
    : envelope("team.blocked", parts, subject.at, subject.organizationId, subject.teamId, {
        teamId: subject.teamId,
        reason: subject.reason,
        note: subject.note,
      });
}

export function keyBlockEvent(
  subject: TeamSubject & {
    lifted: boolean;
    teamId: string;
    keyId: string;
    keyName: string;
    reason: string;
    note: string | null;
    blockCreatedAt: Date;
  },
): EventEnvelope<"key.blocked" | "key.unblocked"> {
  const parts = [subject.keyId, subject.reason, subject.blockCreatedAt.getTime()];
  const base = {
    teamId: subject.teamId,
    keyId: subject.keyId,
    keyName: subject.keyName,
    reason: subject.reason,
  };
  return subject.lifted
    ? envelope("key.unblocked", parts, subject.at, subject.organizationId, subject.teamId, base)
    : envelope("key.blocked", parts, subject.at, subject.organizationId, subject.teamId, {
        ...base,
        note: subject.note,
      });
}

export function productLapsedEvent(
  subject: TeamSubject & {
    teamId: string;
    productId: string;
    productName: string;
    lapsedAt: Date;
  },
): EventEnvelope<"product.lapsed"> {
  return envelope(
    "product.lapsed",
    [subject.teamId, subject.productId, subject.lapsedAt.getTime()],
    subject.at,
    subject.organizationId,
    subject.teamId,
    {
      teamId: subject.teamId,
      productId: subject.productId,
      productName: subject.productName,
      lapsedAt: subject.lapsedAt.toISOString(),
    },
  );
}

export function regionSyncFailingEvent(subject: {
  at: Date;
  regionId: string;
  regionName: string;
  operation: EventBody<"region.sync_failing">["operation"];
  failingSince: Date;
  error: string | null;
}): EventEnvelope<"region.sync_failing"> {
  return envelope(
    "region.sync_failing",
    [subject.regionId, subject.operation, subject.failingSince.getTime()],
    subject.at,
    null,
    null,
    {
      regionId: subject.regionId,
      regionName: subject.regionName,
      operation: subject.operation,
      failingSince: subject.failingSince.toISOString(),
      error: subject.error,
    },
  );
}

export function regionDriftEvent(subject: {
  at: Date;
  regionId: string;
  regionName: string;
  reconciliationId: string;
  differences: number;
}): EventEnvelope<"region.drift"> {
  return envelope(
    "region.drift",
    [subject.regionId, subject.reconciliationId],
    subject.at,
    null,
    null,
    {
      regionId: subject.regionId,
      regionName: subject.regionName,
      reconciliationId: subject.reconciliationId,
      differences: subject.differences,
    },
  );
}

/**
 * Whether the queue is failing: any failed job, or the oldest runnable job waiting longer
 * than `maxAgeMs`.
 */
export function queueFailing(
  facts: { failedJobs: number; oldestPendingSeconds: number },
  maxAgeMs: number,
): boolean {
  return facts.failedJobs > 0 || facts.oldestPendingSeconds * 1000 > maxAgeMs;
}

export function jobsFailingEvent(subject: {
  at: Date;
  /** When this failing episode began (the oldest failed or overdue job's time). */
  since: Date;
  regionId: string | null;
  failedJobs: number;
  oldestPendingSeconds: number;
}): EventEnvelope<"jobs.failing"> {
  return envelope(
    "jobs.failing",
    [subject.regionId, subject.since.getTime()],
    subject.at,
    null,
    null,
    {
      failedJobs: subject.failedJobs,
      oldestPendingSeconds: subject.oldestPendingSeconds,
      regionId: subject.regionId,
    },
  );
}

// --- the same ids in SQL -----------------------------------------------------------------

/**
 * core `eventId(type, parts)` in SQL, for set-based statements (packages/db alerts/): `parts`
 * are SQL expressions of text, each never null (wrap nullable ones with `nullPartSql`), since
 * concat_ws skips nulls where eventId writes "-". packages/db/test/alerts-ids.test.ts holds
 * the two equal.
 */
export function eventIdSql(type: EventType, parts: readonly string[]): string {
  return `concat_ws('/', '${type}', ${parts.join(", ")})`;
}

/** A nullable text part: "-" for null, as eventId writes it. */
export function nullPartSql(expression: string): string {
  return `COALESCE(${expression}, '-')`;
}

/** core epochPart in SQL: a timestamptz as epoch milliseconds text, "-" when null. */
export function epochPartSql(expression: string): string {
  return nullPartSql(`(extract(epoch FROM ${expression}) * 1000)::bigint::text`);
}

/** A timestamptz as JavaScript's toISOString writes it (UTC, milliseconds, `Z`). */
export function isoTimeSql(expression: string): string {
  return `to_char(${expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}
