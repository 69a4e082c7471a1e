/** LiteLLM's budget durations and when a budget resets (teams carry `budget_reset_at`). */
/** LiteLLM's `duration_in_seconds` units; anything else raises ValueError (an uncaught 500). */
export const BUDGET_DURATION = /^\d+(s|m|h|d|w|mo)$/;

const DAY_MS = 86_400_000;

/**
 * `get_budget_reset_time` -> duration_parser.py `get_next_standardized_reset_time` (UTC, the
 * default timezone): 1d is the next midnight, 7d the next Monday, 30d the 1st of next month,
 * any other N d (and N w, as 7N days) midnight today plus N days; hours, minutes and seconds
 * align to the next multiple; `mo` is the 1st of next month and only 1mo is accepted
 * (ValueError otherwise: an uncaught 500, reported as null here and refused by the caller).
 */
export function budgetResetAt(duration: string, now: Date): string | null {
  const match = /^(\d+)(mo|[smhdw])$/.exec(duration);
  if (!match) return null;
  const value = Number(match[1]);
  const unit = match[2]!;
  if (value === 0) return now.toISOString();
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const nextMonth = () => Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  const days = unit === "w" ? value * 7 : value;
  let at: number;
  switch (unit) {
    case "d":
    case "w":
      if (days === 1) at = midnight + DAY_MS;
      else if (days === 7) {
        // Python's weekday(): Monday 0 ... Sunday 6; today being Monday means next week's.
        const weekday = (now.getUTCDay() + 6) % 7;
        at = midnight + ((7 - weekday) % 7 || 7) * DAY_MS;
      } else if (days === 30) at = nextMonth();
      else at = midnight + days * DAY_MS;
      break;
    case "h":
    case "m":
    case "s": {
      const unitMs = unit === "h" ? 3_600_000 : unit === "m" ? 60_000 : 1000;
      const within = unit === "h" ? DAY_MS : unit === "m" ? 3_600_000 : 60_000;
      // Aligned to the next multiple of `value` within the enclosing day/hour/minute.
      const base = now.getTime() - (now.getTime() % within);
      const current = Math.floor((now.getTime() - base) / unitMs);
      at = base + (current + value - (current % value)) * unitMs;
      break;
    }
    default:
      if (value !== 1) return null;
      at = nextMonth();
  }
  return new Date(at).toISOString();
}
