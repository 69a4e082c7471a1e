/**
 * `/team/daily/activity` as the contract server answers it (LiteLLM_DailyTeamSpend, paged
 * over rows, grouped by date) and as the client reads it back per team and day.
 */
import { describe, expect, it } from "vitest";
import type { ContractDailyTeamSpend } from "../src/contract-server/index.ts";
import { useContractServer } from "./helpers.ts";

function row(
  teamId: string,
  date: string,
  spend: number,
  extra: Partial<ContractDailyTeamSpend> = {},
): ContractDailyTeamSpend {
  return {
    teamId,
    date,
    apiKey: "tok-a",
    model: "gpt-4o-mini",
    customLlmProvider: "openai",
    spend,
    promptTokens: 100,
    completionTokens: 20,
    apiRequests: 3,
    successfulRequests: 3,
    failedRequests: 0,
    ...extra,
  };
}

describe("contract server: /team/daily/activity", () => {
  const fixture = useContractServer();

  it("groups a page's rows by date (newest first) with per-team entities and paging metadata", async () => {
    const { server, raw, client } = fixture();
    await client.createTeam({ teamId: "eu_t1", teamAlias: "T1" });
    server.state.addDailyTeamSpend([
      row("eu_t1", "2026-12-01", 1.5),
      row("eu_t1", "2026-12-01", 0.5, { apiKey: "tok-b", model: "gpt-4o" }),
      row("eu_t1", "2026-12-02", 2),
      row("eu_t2", "2026-12-02", 7),
      row("eu_t1", "2026-11-20", 9),
    ]);
    const res = await raw(
      "GET",
      "/team/daily/activity?team_ids=eu_t1&start_date=2026-12-01&end_date=2026-12-05",
    );
    expect(res.status).toBe(200);
    const results = res.body.results as Array<{
      date: string;
      breakdown: { models: Record<string, unknown> };
    }>;
    expect(results.map((r) => r.date)).toEqual(["2026-12-02", "2026-12-01"]);
    expect(res.body.results[1].metrics).toMatchObject({ spend: 2, api_requests: 6 });
    expect(res.body.results[1].breakdown.entities.eu_t1).toMatchObject({
      metrics: { spend: 2 },
      metadata: { team_alias: "T1" },
    });
    expect(Object.keys(results[1]!.breakdown.models).sort()).toEqual(["gpt-4o", "gpt-4o-mini"]);
    expect(res.body.metadata).toMatchObject({
      total_spend: 4,
      page: 1,
      total_pages: 1,
      has_more: false,
    });

    // Paging is over rows: two rows a page splits 2026-12-01's rows across pages.
    const first = await raw(
      "GET",
      "/team/daily/activity?team_ids=eu_t1&start_date=2026-12-01&end_date=2026-12-05&page_size=2",
    );
    expect(first.body.metadata).toMatchObject({ page: 1, total_pages: 2, has_more: true });
    expect(first.body.metadata.total_spend).toBe(3.5);
  });

  it("refuses a request without both dates as LiteLLM does", async () => {
    const res = await fixture().raw("GET", "/team/daily/activity?start_date=2026-12-01");
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ detail: { error: "Please provide start_date and end_date" } });
  });

  it("needs the master key", async () => {
    const res = await fixture().raw(
      "GET",
      "/team/daily/activity?start_date=2026-12-01&end_date=2026-12-02",
      undefined,
      { authorization: "Bearer sk-wrong" },
    );
    expect(res.status).toBe(401);
  });

  it("client.teamDailySpend sums each team's day across keys, models and pages", async () => {
    const { server, client } = fixture();
    const rows: ContractDailyTeamSpend[] = [];
    // More rows than one client page (1000) holds, so the client reads several.
    for (let i = 0; i < 1200; i++) {
      rows.push(row("eu_t1", "2026-12-01", 0.01, { apiKey: `tok-${i}` }));
    }
    rows.push(row("eu_t2", "2026-12-01", 4), row("eu_t2", "2026-12-03", 1.25));
    rows.push(row("eu_t3", "2026-12-01", 100));
    server.state.addDailyTeamSpend(rows);
    const days = await client.teamDailySpend({
      teamIds: ["eu_t1", "eu_t2"],
      startDate: "2026-11-06",
      endDate: "2026-12-05",
    });
    expect(days.map((d) => ({ ...d, spendUsd: Math.round(d.spendUsd * 100) / 100 }))).toEqual([
      { teamId: "eu_t1", date: "2026-12-01", spendUsd: 12 },
      { teamId: "eu_t2", date: "2026-12-01", spendUsd: 4 },
      { teamId: "eu_t2", date: "2026-12-03", spendUsd: 1.25 },
    ]);
    const calls = server.state.requests.filter((r) => r.path === "/team/daily/activity");
    expect(calls.length).toBe(2);
  });

  it("client.teamDailySpend refuses bad input before any call", async () => {
    const { client } = fixture();
    await expect(
      client.teamDailySpend({ teamIds: [], startDate: "2026-12-01", endDate: "2026-12-02" }),
    ).rejects.toMatchObject({ kind: "rejected" });
    await expect(
      client.teamDailySpend({ teamIds: ["a,b"], startDate: "2026-12-01", endDate: "2026-12-02" }),
    ).rejects.toMatchObject({ kind: "rejected" });
  });
});
