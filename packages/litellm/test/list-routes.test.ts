/**
 * The paged listings a reconciliation streams: `/v2/team/list` and `/key/list`, their
 * limits and shapes as LiteLLM answers them, and the client's page iterators.
 */
import { describe, expect, it } from "vitest";
import { useContractServer } from "./helpers.ts";

describe("contract server: paged listings", () => {
  const fixture = useContractServer();

  async function seed(teams: number, keysPerTeam: number): Promise<void> {
    const { client } = fixture();
    for (let t = 0; t < teams; t++) {
      await client.createTeam({ teamId: `r_team-${t}`, teamAlias: `Team ${t}` });
      for (let k = 0; k < keysPerTeam; k++) {
        await client.generateKey({
          keyAlias: `r_team-${t}/k${k}`,
          teamId: `r_team-${t}`,
          userId: "u1",
          metadata: { gatehouse_key_id: `${t}-${k}` },
        });
      }
    }
  }

  it("/v2/team/list answers {teams, total, page, page_size, total_pages} with spend and members_count", async () => {
    await seed(3, 0);
    const res = await fixture().raw(
      "GET",
      "/v2/team/list?page=1&page_size=2&sort_by=team_id&sort_order=asc",
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 3, page: 1, page_size: 2, total_pages: 2 });
    const teams = res.body.teams as Array<{ team_id: string }>;
    expect(teams.map((t) => t.team_id)).toEqual(["r_team-0", "r_team-1"]);
    expect(res.body.teams[0]).toMatchObject({ team_alias: "Team 0", spend: 0, members_count: 1 });
  });

  it("/v2/team/list refuses page_size > 100 and page < 1 like FastAPI (422)", async () => {
    const big = await fixture().raw("GET", "/v2/team/list?page_size=101");
    expect(big.status).toBe(422);
    expect(big.body.detail[0]).toMatchObject({
      type: "less_than_equal",
      loc: ["query", "page_size"],
    });
    const zero = await fixture().raw("GET", "/v2/team/list?page=0");
    expect(zero.status).toBe(422);
    expect(zero.body.detail[0]).toMatchObject({
      type: "greater_than_equal",
      loc: ["query", "page"],
    });
  });

  it("/key/list pages a team's keys with full objects (metadata kept from /key/generate)", async () => {
    await seed(2, 3);
    const res = await fixture().raw(
      "GET",
      "/key/list?team_id=r_team-1&page=1&size=2&return_full_object=true",
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total_count: 3, current_page: 1, total_pages: 2 });
    expect(res.body.keys).toHaveLength(2);
    expect(res.body.keys[0]).toMatchObject({
      team_id: "r_team-1",
      metadata: { gatehouse_key_id: expect.any(String) },
    });
    expect(res.body.keys[0].token).toMatch(/^[0-9a-f]{64}$/);
    const tokensOnly = await fixture().raw("GET", "/key/list?page=1&size=100");
    expect(tokensOnly.body.keys).toHaveLength(6);
    expect(typeof tokensOnly.body.keys[0]).toBe("string");
  });

  it("/key/list refuses size > 100 (422) and an unknown sort column (400)", async () => {
    const big = await fixture().raw("GET", "/key/list?size=101");
    expect(big.status).toBe(422);
    expect(big.body.detail[0]).toMatchObject({ type: "less_than_equal", loc: ["query", "size"] });
    const sort = await fixture().raw("GET", "/key/list?sort_by=team_id");
    expect(sort.status).toBe(400);
    expect(sort.body.error.message).toContain("Invalid sort column");
  });

  it("client iterators stream every page in the asked order", async () => {
    await seed(5, 5);
    const { client } = fixture();
    const tokens: string[] = [];
    let pages = 0;
    for await (const page of client.keyPages({ size: 7, sortBy: "token", sortOrder: "asc" })) {
      pages++;
      tokens.push(...page.keys.map((k) => k.token));
    }
    expect(pages).toBe(4);
    expect(tokens).toHaveLength(25);
    expect([...tokens].sort()).toEqual(tokens);
    const teams: string[] = [];
    for await (const page of client.teamPages({
      pageSize: 2,
      sortBy: "team_id",
      sortOrder: "asc",
    })) {
      teams.push(...page.teams.map((t) => t.teamId));
    }
    expect(teams).toEqual(["r_team-0", "r_team-1", "r_team-2", "r_team-3", "r_team-4"]);
    await expect(client.listKeys({ size: 101 })).rejects.toMatchObject({
      reason: "invalid_request",
    });
  });
});
