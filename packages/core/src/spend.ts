/**
 * Spend rules shared by the API, the worker and the web app (pure, no I/O).
 *
 * LiteLLM reports spend as a running total per team and proxy (`spend`), which drops back to
 * 0 when the proxy resets the budget (`budget_reset_at` then moves forward). Gatehouse keeps
 * the latest reading per team and region and one reading per team, region and day; what a
 * team spent in a period, or on a day, is derived from those cumulative points here.
 */

/** The latest reading of one team on one region; null values were never read. */
export interface RegionSpendReading {
  spendUsd: number | null;
  budgetUsd: number | null;
  budgetResetAt: Date | null;
  asOf: Date | null;
}

export interface TeamSpendSummary {
  /** Sum over the regions that were read; null when none was. */
  totalUsd: number | null;
  /**
   * Sum of the regions' budgets: each proxy enforces its own `max_budget`, so a team may
   * spend up to the sum. Null when no region has a budget.
   */
  budgetUsd: number | null;
  /** The earliest upcoming reset among the regions. */
  budgetResetAt: Date | null;
  /** The oldest reading that went into the total (how stale the total may be). */
  asOf: Date | null;
}

/** Adds cents exactly (floating sums of many small amounts drift). */
export function roundUsd(value: number): number {
  return Math.round(value * 1_000_000) / 1_000_000;
}

export function summarizeTeamSpend(regions: readonly RegionSpendReading[]): TeamSpendSummary {
  const read = regions.filter((r) => r.spendUsd !== null);
  const budgets = regions.filter((r) => r.budgetUsd !== null);
  const resets = regions.map((r) => r.budgetResetAt).filter((d): d is Date => d !== null);
  const asOfs = read.map((r) => r.asOf).filter((d): d is Date => d !== null);
  return {
    totalUsd: read.length ? roundUsd(read.reduce((sum, r) => sum + (r.spendUsd ?? 0), 0)) : null,
    budgetUsd: budgets.length
      ? roundUsd(budgets.reduce((sum, r) => sum + (r.budgetUsd ?? 0), 0))
      : null,
    budgetResetAt: resets.length ? new Date(Math.min(...resets.map((d) => d.getTime()))) : null,
    asOf: asOfs.length ? new Date(Math.min(...asOfs.map((d) => d.getTime()))) : null,
  };
}

export type BudgetLevel = "unknown" | "ok" | "warning" | "critical" | "over";

/** Share of the budget at which the bar turns amber, red, and "over". */
export const BUDGET_WARNING_SHARE = 0.75;
export const BUDGET_CRITICAL_SHARE = 0.9;

/** The budget bar's colour: unknown without a reading or a (positive) budget. */
export function budgetLevel(spentUsd: number | null, budgetUsd: number | null): BudgetLevel {
  if (spentUsd === null || budgetUsd === null || budgetUsd <= 0) return "unknown";
  const share = spentUsd / budgetUsd;
  if (share >= 1) return "over";
  if (share >= BUDGET_CRITICAL_SHARE) return "critical";
  if (share >= BUDGET_WARNING_SHARE) return "warning";
  return "ok";
}

/** One day's last reading of a team on one region (cumulative, as the proxy reported it). */
export interface DailySpendPoint {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  spendUsd: number;
  budgetResetAt: Date | null;
}

/**
 * Spend between two consecutive cumulative readings of the same proxy. A reading below the
 * previous one, or a later `budget_reset_at`, means the proxy reset the budget in between:
 * what it shows now was spent since the reset (spend between the previous reading and the
 * reset is not seen by a daily reading and is not counted).
 */
export function spendBetween(previous: DailySpendPoint | null, current: DailySpendPoint): number {
  if (previous === null) return current.spendUsd;
  const reset =
    current.spendUsd < previous.spendUsd ||
    (previous.budgetResetAt !== null &&
      current.budgetResetAt !== null &&
      current.budgetResetAt.getTime() > previous.budgetResetAt.getTime());
  return roundUsd(reset ? current.spendUsd : current.spendUsd - previous.spendUsd);
}

/**
 * Spend per day of one region's points (sorted by day, any gaps allowed): each day gets the
 * spend since the previous point. `baseline` is the last point before the first one (null:
 * counting starts from 0, i.e. a team's first reading is all spent on that day).
 */
export function dailyDeltas(
  points: readonly DailySpendPoint[],
  baseline: DailySpendPoint | null,
): Map<string, number> {
  const out = new Map<string, number>();
  let previous = baseline;
  for (const point of points) {
    out.set(point.day, roundUsd((out.get(point.day) ?? 0) + spendBetween(previous, point)));
    previous = point;
  }
  return out;
}

/**
 * Spend of a period from daily points, summed over regions: for each region, the deltas of
 * the points dated inside [from, to] (UTC days, inclusive), each against the region's
 * previous point — so the last point before `from` is the baseline and spend recorded before
 * the period is excluded. Pass each region's points from the last one before `from` onward.
 */
export function periodSpend(
  pointsByRegion: ReadonlyArray<readonly DailySpendPoint[]>,
  from: string,
  to: string,
): number {
  let total = 0;
  for (const points of pointsByRegion) {
    const sorted = [...points].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
    const before = sorted.filter((p) => p.day < from);
    const inside = sorted.filter((p) => p.day >= from && p.day <= to);
    for (const [, delta] of dailyDeltas(inside, before.at(-1) ?? null)) total += delta;
  }
  return roundUsd(total);
}

/** Points grouped by region, each region's sorted by day (what the functions above take). */
export function pointsByRegion(
  points: ReadonlyArray<DailySpendPoint & { regionId: string }>,
): Map<string, DailySpendPoint[]> {
  const out = new Map<string, DailySpendPoint[]>();
  for (const p of points) {
    const list = out.get(p.regionId) ?? [];
    list.push({ day: p.day, spendUsd: p.spendUsd, budgetResetAt: p.budgetResetAt });
    out.set(p.regionId, list);
  }
  for (const list of out.values())
    list.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  return out;
}

/**
 * Spend per day from `firstDay` on, summed over regions (days without a point are absent).
 * Each region's points are sorted by day and start with its last one before `firstDay`, if
 * any: the baseline of the first day's delta.
 */
export function spendPerDay(
  byRegion: Iterable<readonly DailySpendPoint[]>,
  firstDay: string,
): Map<string, number> {
  const perDay = new Map<string, number>();
  for (const list of byRegion) {
    const before = list.filter((p) => p.day < firstDay);
    const inside = list.filter((p) => p.day >= firstDay);
    for (const [day, delta] of dailyDeltas(inside, before.at(-1) ?? null))
      perDay.set(day, roundUsd((perDay.get(day) ?? 0) + delta));
  }
  return perDay;
}

/** `YYYY-MM-DD` of an instant, in UTC (the day a reading is filed under). */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The `days` UTC days ending with `today`'s, oldest first. */
export function lastDays(today: Date, days: number): string[] {
  const out: string[] = [];
  const base = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  for (let i = days - 1; i >= 0; i--) out.push(utcDay(new Date(base - i * 86_400_000)));
  return out;
}

/** One CSV field (RFC 4180), with spreadsheet formula prefixes neutralised. */
export function csvField(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The first UTC day of spend history kept with `retentionDays` of retention: daily points
 * dated before it are pruned (GATEHOUSE_SPEND_RETENTION_DAYS). Today counts as one of the
 * days kept.
 */
export function spendRetentionHorizon(now: Date, retentionDays: number): string {
  return utcDay(new Date(now.getTime() - (retentionDays - 1) * 86_400_000));
}
