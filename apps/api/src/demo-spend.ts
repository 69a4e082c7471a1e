/**
 * Demo only: what the demo's LiteLLM has "counted". The contract server routes no model
 * traffic, so without this every demo team shows $0.00 and an empty 30-day chart on a first
 * start. A real proxy that has served traffic for a month holds two records of it, and the
 * demo plants both, in agreement:
 * - LiteLLM_DailyTeamSpend rows (per day, key and model) for the last 30 days and today,
 *   which the spend sync reads on a team's first reading (`/team/daily/activity`, see
 *   spend/backfill.ts): the chart is filled through the same path as for a real proxy;
 * - the team's counter (`spend`), which is what was spent since the budget period began
 *   (the 1st of the month for the demo's monthly budgets), with the budget and its reset
 *   date as the entitlement push will set them, so the first reading already knows the
 *   period whatever order the worker runs things in.
 * Amounts are made up but stable (seeded by team name): a weekday rhythm, a pace well
 * under each budget, and one team (DEMO_TEAMS_OF_NOTE.nearBudget) at 88 % of its budget
 * this month, so budget alerts and the forecast have something to say on first start.
 * After a restart a team Gatehouse already read keeps that counter, as a persistent proxy
 * would.
 */
import { budgetPeriodStart, litellmTeamId, roundUsd, utcDay } from "@gatehouse/core";
import type { TProductLimits } from "@gatehouse/core";
import {
  demoTeamsSpendFacts,
  findRegionByName,
  teamsEnforcement,
  type Database,
} from "@gatehouse/db";
import { DEMO_TEAMS_OF_NOTE } from "@gatehouse/db/data";
import {
  budgetResetAt,
  type ContractDailyTeamSpend,
  type ContractServer,
} from "@gatehouse/litellm/contract-server";

const DAY_MS = 86_400_000;
/** Days of history before today the demo proxy holds (what the backfill reads). */
const HISTORY_DAYS = 30;

export interface DemoSpendTeam {
  litellmTeamId: string;
  name: string;
  createdAt: Date;
  maxBudgetUsd: number | null;
  budgetDuration: string | null;
  models: readonly string[];
  /** Key ids (tokens) of the team on the proxy; the day's spend is spread over them. */
  keyTokens: readonly string[];
  /** Share of the budget spent this period, for the team meant to be near its budget. */
  budgetShare?: number;
}

export interface DemoSpendPlan {
  rows: ContractDailyTeamSpend[];
  /** The proxy's counter: spent since the budget period began (all history without one). */
  spendUsd: number;
  budgetResetAt: string | null;
}

/** mulberry32 seeded by a string: the same team gets the same history on every start. */
function random(seed: string): () => number {
  let a = 0;
  for (const ch of seed) a = (Math.imul(a, 31) + ch.charCodeAt(0)) | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** One team's daily rows and counter at `now` (pure; see the header for the story). */
export function demoSpendPlan(team: DemoSpendTeam, now: Date): DemoSpendPlan {
  const rand = random(team.name);
  const todayStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const createdStart = Date.UTC(
    team.createdAt.getUTCFullYear(),
    team.createdAt.getUTCMonth(),
    team.createdAt.getUTCDate(),
  );
  const firstDay = Math.max(todayStart - HISTORY_DAYS * DAY_MS, createdStart);
  const resetAt =
    team.maxBudgetUsd !== null && team.budgetDuration !== null
      ? budgetResetAt(team.budgetDuration, now)
      : null;
  const periodStart =
    resetAt !== null && team.budgetDuration !== null
      ? (budgetPeriodStart(new Date(resetAt), team.budgetDuration)?.getTime() ?? null)
      : null;
  // A pace of 15-40 % of the budget a month, or a few dollars a day without a budget.
  const dailyUsd =
    team.maxBudgetUsd !== null && team.maxBudgetUsd > 0
      ? (team.maxBudgetUsd * (0.15 + 0.25 * rand())) / 30
      : 2 + 18 * rand();
  const elapsedToday = Math.max(0.1, (now.getTime() - todayStart) / DAY_MS);
  const weights = new Map<number, number>();
  for (let day = firstDay; day <= todayStart; day += DAY_MS) {
    const weekday = new Date(day).getUTCDay();
    const rhythm = weekday === 0 || weekday === 6 ? 0.35 : 1;
    const noise = 0.6 + 0.8 * rand();
    weights.set(day, rhythm * noise * (day === todayStart ? elapsedToday : 1));
  }
  const amounts = new Map<number, number>();
  for (const [day, w] of weights) amounts.set(day, roundUsd(Math.round(dailyUsd * w * 100) / 100));
  if (team.budgetShare !== undefined && team.maxBudgetUsd !== null && periodStart !== null) {
    // This period's days carry the share of the budget, in the same rhythm.
    const inPeriod = [...weights].filter(([day]) => day >= periodStart);
    const weightSum = inPeriod.reduce((sum, [, w]) => sum + w, 0);
    const target = team.maxBudgetUsd * team.budgetShare;
    let left = Math.round(target * 100);
    inPeriod.forEach(([day, w], i) => {
      const cents = i === inPeriod.length - 1 ? left : Math.round((target * 100 * w) / weightSum);
      left -= cents;
      amounts.set(day, cents / 100);
    });
  }

  const models = team.models.length > 0 ? team.models : ["gpt-4o-mini"];
  const keys = team.keyTokens.length > 0 ? team.keyTokens : [""];
  const rows: ContractDailyTeamSpend[] = [];
  let counter = 0;
  for (const [day, usd] of amounts) {
    if (usd <= 0) continue;
    if (periodStart === null || day >= periodStart) counter += usd;
    // Most of a day on the first model and key, the rest on the next ones.
    const parts = models.length > 1 || keys.length > 1 ? [0.7, 0.3] : [1];
    let left = Math.round(usd * 100);
    parts.forEach((share, i) => {
      const cents = i === parts.length - 1 ? left : Math.round(usd * 100 * share);
      left -= cents;
      const spend = cents / 100;
      const requests = Math.max(1, Math.round(spend * 40));
      rows.push({
        teamId: team.litellmTeamId,
        date: utcDay(new Date(day)),
        apiKey: keys[i % keys.length]!,
        model: models[i % models.length]!,
        customLlmProvider: models[i % models.length]!.startsWith("claude") ? "anthropic" : "openai",
        spend,
        promptTokens: Math.round(spend * 90_000),
        completionTokens: Math.round(spend * 22_000),
        apiRequests: requests,
        successfulRequests: requests,
        failedRequests: 0,
      });
    });
  }
  return { rows, spendUsd: roundUsd(counter), budgetResetAt: resetAt };
}

/**
 * Plants every team's history and counter on the demo proxy (creating the teams it does
 * not hold yet, as the entitlement push would). Returns how many teams were planted.
 */
export async function plantDemoSpend(
  db: Database,
  server: ContractServer,
  regionName: string,
  defaults: TProductLimits,
  now: Date = new Date(),
): Promise<number> {
  const region = await findRegionByName(db, regionName);
  if (!region) return 0;
  const teams = await demoTeamsSpendFacts(db, region.id);
  const enforcement = await teamsEnforcement(
    db,
    teams.map((t) => t.id),
    defaults,
  );
  const tokensByTeam = new Map<string, string[]>();
  for (const key of server.state.keys.values()) {
    if (key.teamId === null) continue;
    tokensByTeam.set(key.teamId, [...(tokensByTeam.get(key.teamId) ?? []), key.token]);
  }
  for (const team of teams) {
    const entitlement = enforcement.get(team.id)?.entitlement;
    const teamId = litellmTeamId(region.name, team.id);
    const plan = demoSpendPlan(
      {
        litellmTeamId: teamId,
        name: team.name,
        createdAt: team.createdAt,
        maxBudgetUsd: entitlement?.maxBudgetUsd ?? null,
        budgetDuration: entitlement?.budgetDuration ?? null,
        models: entitlement?.models ?? [],
        keyTokens: tokensByTeam.get(teamId) ?? [],
        ...(team.name === DEMO_TEAMS_OF_NOTE.nearBudget
          ? { budgetShare: DEMO_TEAMS_OF_NOTE.nearBudgetShare }
          : {}),
      },
      now,
    );
    if (!server.state.teams.has(teamId)) {
      server.state.teams.set(teamId, {
        teamId,
        teamAlias: team.name,
        metadata: {},
        members: new Map(),
        createdAt: now.toISOString(),
      });
    }
    server.state.addDailyTeamSpend(plan.rows);
    const budget = entitlement?.maxBudgetUsd ?? null;
    server.state.setTeamSpend(teamId, {
      spend: team.readingUsd ?? plan.spendUsd,
      maxBudget: budget,
      budgetResetAt: plan.budgetResetAt,
    });
    const onProxy = server.state.teams.get(teamId)!;
    if (budget !== null) onProxy.budgetDuration = entitlement?.budgetDuration ?? null;
  }
  return teams.length;
}
