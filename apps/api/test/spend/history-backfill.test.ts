/**
 * The first reading of a team on a region brings its history: the spend sync reads the
 * proxy's daily spend (`/team/daily/activity`, the contract server's LiteLLM_DailyTeamSpend)
 * for teams it never read there, and teams.spendHistory shows the last 30 days at once, in
 * agreement with the counter. Later syncs do not ask again; a proxy that cannot answer
 * costs the history, never the sync. Real database, real HTTP.
 */
import { litellmTeamId, utcDay } from "@gatehouse/core";
import type { ContractDailyTeamSpend } from "@gatehouse/litellm/contract-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncRegionSpend } from "../../src/spend/sync.ts";
import { clientFor, setSpend } from "../support/contract-spend.ts";
import * as fx from "../support/fixtures.ts";
import { startHarness, type SyncHarness } from "../support/harness.ts";
import type { Credentials } from "../support/http.ts";

interface History {
  days: Array<{ day: string; spendUsd: number | null }>;
}

let h: SyncHarness;
let admin: { id: string; creds: Credentials };
const DAY_MS = 86_400_000;
const daysAgo = (n: number): string => utcDay(new Date(Date.now() - n * DAY_MS));

const sync = () =>
  syncRegionSpend({ db: h.db, client: clientFor(h.litellm), region: h.region, holder: "test" });

async function newTeam(name: string): Promise<{ id: string; litellmId: string }> {
  const { id } = await h.mutationOk<{ id: string }>("teams.create", { name }, admin.creds);
  const litellmId = litellmTeamId(h.region.name, id);
  await clientFor(h.litellm).ensureTeam({ teamId: litellmId, teamAlias: name });
  return { id, litellmId };
}

const row = (teamId: string, date: string, spend: number): ContractDailyTeamSpend => ({
  teamId,
  date,
  apiKey: "tok",
  model: "gpt-4o-mini",
  customLlmProvider: "openai",
  spend,
  promptTokens: 0,
  completionTokens: 0,
  apiRequests: 1,
  successfulRequests: 1,
  failedRequests: 0,
});

const activityCalls = () =>
  h.litellm.state.requests.filter((r) => r.path === "/team/daily/activity").length;

beforeAll(async () => {
  h = await startHarness({ litellm: true });
  admin = await fx.insertUserWithSession(h, { email: "admin@history.test", isSystemAdmin: true });
});
afterAll(() => h?.close());

describe("spend history on a team's first reading", () => {
  it("shows the proxy's last 30 days after the first sync, summing to the counter", async () => {
    const team = await newTeam("History A");
    // No budget period: the counter holds everything the daily table holds.
    const daily: Array<[number, number]> = [
      [29, 3],
      [20, 4.5],
      [10, 1.25],
      [3, 6],
      [0, 2],
    ];
    h.litellm.state.addDailyTeamSpend(
      daily.map(([ago, usd]) => row(team.litellmId, daysAgo(ago), usd)),
    );
    // A second key and model the same day: the day's spend is their sum.
    h.litellm.state.addDailyTeamSpend([{ ...row(team.litellmId, daysAgo(3), 1), apiKey: "tok2" }]);
    await setSpend(h.litellm, { teams: [{ teamId: team.litellmId, spend: 17.75 }] });

    const outcome = await sync();
    expect(outcome.historyError).toBeNull();
    expect(outcome.historyDaysFiled).toBe(30);

    const history = await h.queryOk<History>(
      "teams.spendHistory",
      { teamId: team.id, days: 30 },
      admin.creds,
    );
    const byDay = new Map(history.days.map((d) => [d.day, d.spendUsd]));
    expect(byDay.get(daysAgo(29))).toBe(3);
    expect(byDay.get(daysAgo(20))).toBe(4.5);
    expect(byDay.get(daysAgo(3))).toBe(7);
    expect(byDay.get(daysAgo(0))).toBe(2);
    expect(byDay.get(daysAgo(5))).toBe(0);
    const total = history.days.reduce((sum, d) => sum + (d.spendUsd ?? 0), 0);
    expect(Math.round(total * 100) / 100).toBe(17.75);
  });

  it("does not ask again once the team has a reading", async () => {
    const before = activityCalls();
    await sync();
    expect(activityCalls()).toBe(before);
  });

  it("a proxy that cannot answer costs the history, never the sync", async () => {
    const team = await newTeam("History B");
    h.litellm.state.addDailyTeamSpend([row(team.litellmId, daysAgo(2), 5)]);
    await setSpend(h.litellm, { teams: [{ teamId: team.litellmId, spend: 5 }] });
    h.litellm.faults.failNext(1, 404, { path: "/team/daily/activity" });

    const outcome = await sync();
    expect(outcome.historyError).toMatch(/404|not found/i);
    const detail = await h.queryOk<{ spendUsd: number | null }>(
      "teams.get",
      { teamId: team.id },
      admin.creds,
    );
    expect(detail.spendUsd).toBe(5);
  });
});
