/**
 * Spend the contract server can be told to report (state API and POST /__control/spend),
 * as /v2/team/list and /key/list carry it, and as the client's page iterators parse it.
 */
import { describe, expect, it } from "vitest";
import { useContractServer } from "./helpers.ts";

describe("contract server: reported spend", () => {
  const fixture = useContractServer();

  it("setTeamSpend shows in /v2/team/list with max_budget, budget_duration and budget_reset_at", async () => {
    const { client, server } = fixture();
    await client.createTeam({ teamId: "eu_t1", teamAlias: "T1" });
    await client.createTeam({ teamId: "eu_t2", teamAlias: "T2" });
    expect(
      server.state.setTeamSpend("eu_t1", {
        spend: 12.5,
        maxBudget: 100,
        budgetResetAt: "2026-12-01T00:00:00.000Z",
      }),
    ).toBe(true);
    expect(server.state.setTeamSpend("nope", { spend: 1 })).toBe(false);

    const res = await fixture().raw("GET", "/v2/team/list?page=1&page_size=10&sort_by=team_id");
    expect(res.body.teams[0]).toMatchObject({
      team_id: "eu_t1",
      spend: 12.5,
      max_budget: 100,
      budget_reset_at: "2026-12-01T00:00:00.000Z",
    });
    expect(res.body.teams[1]).toMatchObject({
      team_id: "eu_t2",
      spend: 0,
      max_budget: null,
      budget_reset_at: null,
    });

    const pages = [];
    for await (const page of client.teamPages({ pageSize: 1 })) pages.push(...page.teams);
    expect(pages.find((t) => t.teamId === "eu_t1")).toMatchObject({
      spend: 12.5,
      maxBudget: 100,
      budgetResetAt: "2026-12-01T00:00:00.000Z",
    });
  });

  it("POST /__control/spend sets team and key spend; unknown ids are a 404", async () => {
    const { client, server } = fixture();
    await client.createTeam({ teamId: "eu_t1", teamAlias: "T1" });
    const key = await client.generateKey({
      key: "sk-spend-1",
      keyAlias: "eu_t1/k",
      teamId: "eu_t1",
      userId: "u1",
    });
    const post = (body: unknown) =>
      fetch(`${server.url}/__control/spend`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    expect(
      (
        await post({
          teams: [{ teamId: "eu_t1", spend: 3.25 }],
          keys: [{ key: "sk-spend-1", spend: 1.5 }],
        })
      ).status,
    ).toBe(200);
    expect((await post({ teams: [{ teamId: "missing", spend: 1 }] })).status).toBe(404);
    expect((await post({ teams: [{ teamId: "eu_t1", spend: -1 }] })).status).toBe(400);

    const keys = [];
    for await (const page of client.keyPages()) keys.push(...page.keys);
    expect(keys).toEqual([expect.objectContaining({ token: key.token, spend: 1.5 })]);
    const teams = [];
    for await (const page of client.teamPages()) teams.push(...page.teams);
    expect(teams[0]?.spend).toBe(3.25);
  });

  it("the default team order stays right after teams are added and removed (cached view)", async () => {
    const { client } = fixture();
    await client.createTeam({ teamId: "a", teamAlias: "A" });
    await client.createTeam({ teamId: "b", teamAlias: "B" });
    expect((await client.listTeams()).teams.map((t) => t.teamId)).toEqual(["b", "a"]);
    await client.createTeam({ teamId: "c", teamAlias: "C" });
    await client.deleteTeams(["a"]);
    expect((await client.listTeams()).teams.map((t) => t.teamId)).toEqual(["c", "b"]);
  });
});
