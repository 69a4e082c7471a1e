/**
 * `/team/daily/activity` (open-source LiteLLM, LiteLLM_DailyTeamSpend): what teams spent per
 * UTC day. LiteLLM pages over its table rows (one per team, day, key and model), not over
 * days, so every page is read and the per-team amounts (`breakdown.entities`) summed.
 */
import { invalidInput, type ProxyCall } from "../proxy-call.ts";
import type { TeamDailySpendInput, TeamDaySpend } from "../types.ts";
import { zDailyActivity } from "./schemas.ts";

/** Rows per page: LiteLLM sets no upper bound; large pages keep a 30-day read to a few calls. */
const ACTIVITY_PAGE_SIZE = 1000;
/** A guard against a proxy that never says "no more" (has_more stuck at true). */
const MAX_PAGES = 1000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export async function teamDailySpend(
  proxy: ProxyCall,
  input: TeamDailySpendInput,
): Promise<TeamDaySpend[]> {
  if (input.teamIds.length === 0) invalidInput("teamDailySpend", "teamIds must not be empty");
  if (input.teamIds.some((id) => id === "" || id.includes(",")))
    invalidInput("teamDailySpend", "team ids must be non-empty and contain no comma");
  if (!DAY.test(input.startDate) || !DAY.test(input.endDate))
    invalidInput("teamDailySpend", "startDate and endDate must be YYYY-MM-DD");
  const wanted = new Set(input.teamIds);
  const sums = new Map<string, TeamDaySpend>();
  for (let page = 1; page <= MAX_PAGES; page++) {
    const query = new URLSearchParams({
      team_ids: input.teamIds.join(","),
      start_date: input.startDate,
      end_date: input.endDate,
      page: String(page),
      page_size: String(ACTIVITY_PAGE_SIZE),
    });
    const body = await proxy.call(
      "teamDailySpend",
      "GET",
      `/team/daily/activity?${query.toString()}`,
      zDailyActivity,
    );
    for (const day of body.results) {
      // LiteLLM answers a date as `YYYY-MM-DD` (a pydantic date); keep the day part only.
      const date = day.date.slice(0, 10);
      for (const [teamId, entity] of Object.entries(day.breakdown.entities ?? {})) {
        if (!wanted.has(teamId)) continue;
        const key = `${teamId}\u0000${date}`;
        const seen = sums.get(key) ?? { teamId, date, spendUsd: 0 };
        seen.spendUsd += entity.metrics.spend ?? 0;
        sums.set(key, seen);
      }
    }
    if (body.metadata.has_more !== true || body.results.length === 0) break;
  }
  return [...sums.values()].sort((a, b) =>
    a.teamId === b.teamId ? (a.date < b.date ? -1 : 1) : a.teamId < b.teamId ? -1 : 1,
  );
}
