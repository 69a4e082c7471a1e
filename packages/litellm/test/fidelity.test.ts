/**
 * LiteLLM fidelity, round three: each answer of open-source LiteLLM the double imitates
 * (README's profile table names the LiteLLM function), asserted on the wire and through the
 * client's classification, so a job reads each one as the real proxy means it.
 */
import { describe, expect, it } from "vitest";
import { budgetResetAt } from "../src/contract-server/index.ts";
import { isLiteLLMError, type LiteLLMError } from "../src/index.ts";
import { useContractServer } from "./helpers.ts";

async function failure(promise: Promise<unknown>): Promise<LiteLLMError> {
  const error = await promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: unknown) => e,
  );
  if (!isLiteLLMError(error)) throw error;
  return error;
}

describe("1. /key/block, /key/unblock of a key the proxy lacks", () => {
  const fx = useContractServer();

  it("answers 401 token_not_found_in_db, which the client reads as key_not_found", async () => {
    const { client, raw } = fx();
    const wire = await raw("POST", "/key/block", { key: "a".repeat(64) });
    expect(wire.status).toBe(401);
    expect(wire.body.error.type).toBe("token_not_found_in_db");
    for (const blocked of [true, false]) {
      const error = await failure(client.setKeyBlocked("a".repeat(64), blocked));
      expect({ kind: error.kind, reason: error.reason }).toEqual({
        kind: "not_found",
        reason: "key_not_found",
      });
    }
  });

  it("still reads a wrong master key on the same route as unauthorized", async () => {
    const { makeClient } = fx();
    const error = await failure(
      makeClient({ masterKey: "sk-wrong" }).setKeyBlocked("a".repeat(64), true),
    );
    expect({ kind: error.kind, reason: error.reason }).toEqual({
      kind: "unauthorized",
      reason: "bad_master_key",
    });
  });
});

describe("2. budget_duration sets budget_reset_at and never resets spend", () => {
  // get_next_standardized_reset_time, UTC. 2026-12-02 is a Wednesday.
  const now = new Date("2026-12-02T15:40:12.345Z");
  it.each([
    ["1d", "2026-12-03T00:00:00.000Z"],
    ["7d", "2026-12-07T00:00:00.000Z"],
    ["1w", "2026-12-07T00:00:00.000Z"],
    ["30d", "2027-01-01T00:00:00.000Z"],
    ["3d", "2026-12-05T00:00:00.000Z"],
    ["1mo", "2027-01-01T00:00:00.000Z"],
    ["6h", "2026-12-02T18:00:00.000Z"],
    ["15m", "2026-12-02T15:45:00.000Z"],
    ["2mo", null],
  ])("%s from %s -> %s", (duration, expected) => {
    expect(budgetResetAt(duration, now)).toBe(expected);
  });

  it("a Monday's 7d is next Monday; December's 30d is January 1st", () => {
    expect(budgetResetAt("7d", new Date("2026-11-30T00:00:00Z"))).toBe("2026-12-07T00:00:00.000Z");
    expect(budgetResetAt("30d", new Date("2026-12-31T23:59:59Z"))).toBe("2027-01-01T00:00:00.000Z");
  });

  const fx = useContractServer();

  it("/team/new and /team/update set the reset; re-sending moves it; omitting keeps it; spend stays", async () => {
    const { client, server } = fx();
    await client.createTeam({
      teamId: "t",
      teamAlias: "T",
      limits: { maxBudget: 100, budgetDuration: "30d", tpmLimit: null, rpmLimit: 5, models: [] },
    });
    const created = (await client.listTeams({ teamId: "t" })).teams[0]!;
    expect(created.budgetResetAt).toBe(budgetResetAt("30d", new Date()));
    expect(created).toMatchObject({ maxBudget: 100, budgetDuration: "30d", rpmLimit: 5 });

    // An old period, partly spent: what a proxy holds mid-period.
    server.state.setTeamSpend("t", { spend: 42, budgetResetAt: "2026-01-05T00:00:00.000Z" });
    await client.updateTeamLimits({
      teamId: "t",
      maxBudget: 200,
      tpmLimit: null,
      rpmLimit: 5,
      models: [],
    });
    let team = (await client.listTeams({ teamId: "t" })).teams[0]!;
    expect(team).toMatchObject({
      maxBudget: 200,
      spend: 42,
      budgetDuration: "30d",
      budgetResetAt: "2026-01-05T00:00:00.000Z",
    });

    await client.updateTeamLimits({
      teamId: "t",
      maxBudget: 200,
      budgetDuration: "30d",
      tpmLimit: null,
      rpmLimit: 5,
      models: [],
    });
    team = (await client.listTeams({ teamId: "t" })).teams[0]!;
    expect(team.spend).toBe(42);
    expect(team.budgetResetAt).toBe(budgetResetAt("30d", new Date()));
  });
});

describe("3. /key/update loads the key's team on every call", () => {
  const fx = useContractServer();

  it("an alias-only update of a key whose team is gone is 404 'Team doesn't exist in db' (team_not_found)", async () => {
    const { client, server } = fx();
    await client.createTeam({ teamId: "t", teamAlias: "T" });
    const key = await client.generateKey({ keyAlias: "k", teamId: "t", userId: "u" });
    server.state.teams.delete("t");
    const error = await failure(client.updateKey({ key: key.token, keyAlias: "k2" }));
    expect(error.status).toBe(404);
    expect(error.litellmMessage).toMatch(/^Team doesn't exist in db\. Team=t\./);
    expect(error.reason).toBe("team_not_found");
    expect((await client.keyInfo(key.token)).keyAlias).toBe("k");
  });

  const legacy = useContractServer({ profile: "legacy" });
  it("older releases (legacy profile) update the alias without loading the team", async () => {
    const { client, server } = legacy();
    await client.createTeam({ teamId: "t", teamAlias: "T" });
    const key = await client.generateKey({ keyAlias: "k", teamId: "t", userId: "u" });
    server.state.teams.delete("t");
    await client.updateKey({ key: key.token, keyAlias: "k2" });
    expect((await client.keyInfo(key.token)).keyAlias).toBe("k2");
  });
});

describe("4. /key/update moving a key on a proxy with no models", () => {
  const fx = useContractServer();

  it("answers 400 'LLM router not found' before the membership check (rejected/no_models)", async () => {
    const { client, server, raw } = fx();
    await client.createTeam({ teamId: "a", teamAlias: "A" });
    await client.createTeam({ teamId: "b", teamAlias: "B" });
    const key = await client.generateKey({ keyAlias: "k", teamId: "a", userId: "u" });
    server.state.settings.noModels = true;
    // u is not a member of b: the router check still answers first.
    const wire = await raw("POST", "/key/update", { key: key.token, team_id: "b" });
    expect(wire.status).toBe(400);
    expect(wire.body.error.message).toMatch(/LLM router not found/);
    const error = await failure(client.updateKey({ key: key.token, teamId: "b" }));
    expect({ kind: error.kind, reason: error.reason, retryable: error.retryable }).toEqual({
      kind: "rejected",
      reason: "no_models",
      retryable: false,
    });
    // Not a move: allowed.
    await client.updateKey({ key: key.token, keyAlias: "k2" });
    expect((await client.keyInfo(key.token)).teamId).toBe("a");
  });
});

describe("5. /key/generate with a secret that already exists", () => {
  const fx = useContractServer();

  it("upserts nothing and answers 200 echoing the request's alias and team; /key/info shows the truth", async () => {
    const { client } = fx();
    await client.createTeam({ teamId: "a", teamAlias: "A" });
    await client.createTeam({ teamId: "b", teamAlias: "B" });
    const secret = "sk-fidelity-upsert-0001";
    await client.generateKey({ key: secret, keyAlias: "first", teamId: "a", userId: "u" });
    const again = await client.generateKey({
      key: secret,
      keyAlias: "second",
      teamId: "b",
      userId: "v",
    });
    expect(again).toMatchObject({ keyAlias: "second", teamId: "b", userId: "v" });
    const info = await client.keyInfo(secret);
    expect(info).toMatchObject({ keyAlias: "first", teamId: "a", userId: "u" });
  });
});

describe("6. /team/member_add on a missing team", () => {
  const current = useContractServer();
  it("current releases: 404 {detail:{error:'Team doesn't exist in db...'}}, read as team_not_found", async () => {
    const { client, raw } = current();
    const wire = await raw("POST", "/team/member_add", {
      team_id: "gone",
      member: [{ user_id: "u", role: "user" }],
    });
    expect(wire).toEqual({
      status: 404,
      body: {
        detail: {
          error: "Team doesn't exist in db. Team=gone. Create team via `/team/new` call.",
        },
      },
    });
    const error = await failure(
      client.addTeamMembers({ teamId: "gone", members: [{ userId: "u", role: "user" }] }),
    );
    expect(error.reason).toBe("team_not_found");
  });

  const legacy = useContractServer({ profile: "legacy" });
  it("older releases (legacy profile): a bare 500, also read as team_not_found", async () => {
    const { client, raw } = legacy();
    const wire = await raw("POST", "/team/member_add", {
      team_id: "gone",
      member: [{ user_id: "u", role: "user" }],
    });
    expect(wire).toEqual({ status: 500, body: "Internal Server Error" });
    const error = await failure(
      client.addTeamMembers({ teamId: "gone", members: [{ userId: "u", role: "user" }] }),
    );
    expect(error.reason).toBe("team_not_found");
  });
});

describe("7. allowed_routes on /key/generate and /key/update", () => {
  const fx = useContractServer();

  it("are stored and shown by /key/info and /key/list; blocked on generate too", async () => {
    const { client } = fx();
    await client.createTeam({ teamId: "t", teamAlias: "T" });
    const key = await client.generateKey({
      keyAlias: "k",
      teamId: "t",
      userId: "u",
      allowedRoutes: ["llm_api_routes"],
      blocked: true,
    });
    expect(await client.keyInfo(key.token)).toMatchObject({
      allowedRoutes: ["llm_api_routes"],
      blocked: true,
    });
    const older = await client.generateKey({ keyAlias: "old", teamId: "t", userId: "u" });
    expect((await client.keyInfo(older.token)).allowedRoutes).toEqual([]);
    await client.updateKey({ key: older.token, allowedRoutes: ["llm_api_routes"] });
    const listed = (await client.listKeys({ teamId: "t" })).keys;
    expect(listed.map((k) => k.allowedRoutes)).toEqual([["llm_api_routes"], ["llm_api_routes"]]);
  });
});
