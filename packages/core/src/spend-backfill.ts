/**
 * Spend history for a team Gatehouse reads for the first time on a region. The proxy's
 * counter (`spend`) only says what was spent since its last budget reset; its daily table
 * (`/team/daily/activity`, LiteLLM_DailyTeamSpend) says what was spent on each day. The
 * daily points Gatehouse files are cumulative readings (see spend.ts), so the history is
 * rebuilt as the readings the proxy would have shown at the end of each earlier day:
 * - inside the current budget period: the counter now minus what was spent after that day;
 * - in an earlier period: what was spent from that period's start (or the first day asked
 *   for) to that day, with the reset that ended the period as its `budgetResetAt`, so
 *   core's spendBetween sees the reset exactly as it would have from live readings.
 * The counter now and the days then agree by construction: the sum of the days since the
 * period started plus the point before them is the counter.
 */
import { roundUsd, type DailySpendPoint } from "./spend.ts";

const DAY_MS = 86_400_000;

/** The days of spend history the first reading of a team fills in, before today. */
export const SPEND_BACKFILL_DAYS = 30;

export interface SpendBackfillInput {
  /** The first reading's UTC day (`YYYY-MM-DD`): history is filled before it. */
  today: string;
  /** The proxy's counter at the first reading. */
  spendUsd: number;
  budgetResetAt: Date | null;
  budgetDuration: string | null;
  /** USD spent per UTC day as the proxy's daily table reports it (days absent: none). */
  daily: ReadonlyMap<string, number>;
  /** How many days before `today` to fill (default SPEND_BACKFILL_DAYS). */
  days?: number;
}

const dayStart = (day: string): number => Date.parse(`${day}T00:00:00Z`);
const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * The instant the period ending at `end` started, for LiteLLM's day-based durations
 * (`N d`, `N w`, `1mo`; 30d and 1mo reset on the 1st of the month, see
 * `get_next_standardized_reset_time`); null for durations shorter than a day, whose
 * counter an end-of-day reading cannot place.
 */
export function budgetPeriodStart(end: Date, duration: string): Date | null {
  const match = /^(\d+)(mo|[smhdw])$/.exec(duration);
  if (!match) return null;
  const value = Number(match[1]);
  const unit = match[2]!;
  if (value === 0) return null;
  const days = unit === "w" ? value * 7 : unit === "d" ? value : null;
  if ((unit === "mo" && value === 1) || days === 30) {
    return new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - 1, end.getUTCDate()));
  }
  if (days === null) return null;
  return new Date(end.getTime() - days * DAY_MS);
}

/**
 * The cumulative daily points before `today` (oldest first) that agree with the counter and
 * the daily spend; empty when the proxy reports no daily spend at all for the team (a
 * proxy without the daily table, or a team that never spent), or when the budget period is
 * shorter than a day.
 */
export function backfillSpendPoints(input: SpendBackfillInput): DailySpendPoint[] {
  const count = input.days ?? SPEND_BACKFILL_DAYS;
  const todayMs = dayStart(input.today);
  const days: string[] = [];
  for (let i = count; i >= 1; i--) days.push(dayOf(todayMs - i * DAY_MS));
  const spent = (day: string): number => input.daily.get(day) ?? 0;
  if (![...input.daily.keys()].some((d) => d >= days[0]! && d <= input.today)) return [];

  // Period boundaries, newest first: the current period's start, then each earlier one's.
  const starts: Date[] = [];
  const ends: Array<Date | null> = [input.budgetResetAt];
  if (input.budgetResetAt !== null && input.budgetDuration !== null) {
    let end = input.budgetResetAt;
    for (;;) {
      const start = budgetPeriodStart(end, input.budgetDuration);
      if (start === null) {
        if (starts.length === 0) return [];
        break;
      }
      starts.push(start);
      if (start.getTime() <= dayStart(days[0]!)) break;
      ends.push(start);
      end = start;
    }
  }
  /** Index of the period a day falls in: 0 the current one. */
  const periodOf = (day: string): number => {
    const at = dayStart(day);
    let i = 0;
    while (i < starts.length && at < starts[i]!.getTime()) i++;
    return Math.min(i, ends.length - 1);
  };

  const points: DailySpendPoint[] = [];
  // Current period: walk back from the counter.
  let after = spent(input.today);
  const current: string[] = [];
  const earlier: string[] = [];
  for (const day of days) (periodOf(day) === 0 ? current : earlier).push(day);
  const currentPoints: DailySpendPoint[] = [];
  for (const day of [...current].reverse()) {
    currentPoints.push({
      day,
      spendUsd: roundUsd(Math.max(0, input.spendUsd - after)),
      budgetResetAt: input.budgetResetAt,
    });
    after += spent(day);
  }
  // Earlier periods: count forward from each period's start (or the first day filled).
  let running = 0;
  let period = -1;
  for (const day of earlier) {
    const p = periodOf(day);
    if (p !== period) {
      period = p;
      running = 0;
    }
    running += spent(day);
    points.push({ day, spendUsd: roundUsd(running), budgetResetAt: ends[p] ?? null });
  }
  return [...points, ...currentPoints.reverse()];
}
