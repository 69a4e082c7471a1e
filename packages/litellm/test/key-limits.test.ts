/**
 * Issue 26's LiteLLM surface: a key's own limits and lifetime, budget resets, member
 * budgets and the Enterprise-only `/key/regenerate`, asserted on the wire (the shapes
 * LiteLLM answers, per README's profile table) and through the client.
 */
import { describe, expect, it, vi } from "vitest";
import { budgetResetAt } from "../src/contract-server/index.ts";
import { isLiteLLMError, type LiteLLMError } from "../src/index.ts";
import { MASTER_KEY, useContractServer, type Fixture, type RawResponse } from "./helpers.ts";

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

const SECRET = "sk-gatehouse-chosen-0001";

async function team(fx: Fixture, body: Record<string, unknown> = {}): Promise<void> {
  const created = await fx.raw("POST", "/team/new", { team_id: "t", team_alias: "T", ...body });
  expect(created.status).toBe(200);
  await fx.raw("POST", "/team/member_add", {
    team_id: "t",
    member: { user_id: "u", role: "user" },
  });
}

/** GET /v1/models with a virtual key: how a client finds out whether its secret works. */
async function useKey(fx: Fixture, secret: string): Promise<RawResponse> {
  const response = await fetch(`${fx.server.url}/v1/models`, {
    headers: { authorization: `Bearer ${secret}` },
  });
  return { status: response.status, body: (await response.json()) as RawResponse["body"] };
}

describe("key limits on /key/generate and /key/info", () => {
  const fx = useContractServer();

  it("every field round-trips through the client: chosen secret, budget, period, rate limits, models, expiry", async () => {
    const f = fx();
    await team(f, { models: ["gpt-4o", "gpt-4o-mini"], max_budget: 100 });
    const expiresAt = new Date(Date.now() + 3 * 86_400_000);
    const before = Date.now();
    const generated = await f.client.generateKey({
      key: SECRET,
      keyAlias: "alias-1",
      teamId: "t",
      userId: "u",
      metadata: { gatehouse: true },
      limits: {
        maxBudgetUsd: 25.5,
        budgetDuration: "30d",
        tpmLimit: 1000,
        rpmLimit: 60,
        models: ["gpt-4o"],
      },
      expiresAt,
    });
    expect(generated.key).toBe(SECRET);
    expect(generated.budgetResetAt).toBe(budgetResetAt("30d", new Date(before)));
    expect(Date.parse(generated.expiresAt!)).toBeGreaterThanOrEqual(expiresAt.getTime());

    const info = await f.client.keyInfo(SECRET);
    expect(info).toMatchObject({
      token: generated.token,
      keyAlias: "alias-1",
      metadata: { gatehouse: true },
      spend: 0,
      maxBudgetUsd: 25.5,
      budgetDuration: "30d",
      budgetResetAt: budgetResetAt("30d", new Date(before)),
      tpmLimit: 1000,
      rpmLimit: 60,
      models: ["gpt-4o"],
    });
    // `duration` is whole seconds from the call, rounded up: never before the asked instant.
    const expires = Date.parse(info.expiresAt!);
    expect(expires).toBeGreaterThanOrEqual(expiresAt.getTime());
    expect(expires - expiresAt.getTime()).toBeLessThan(60_000);

    const wire = await f.raw("POST", "/key/generate", { key_alias: "plain", team_id: "t" });
    expect(wire.body).toMatchObject({
      max_budget: null,
      budget_duration: null,
      budget_reset_at: null,
      tpm_limit: null,
      rpm_limit: null,
      models: [],
      expires: null,
    });
    const sent = f.server.state.requests.find((r) => r.path === "/key/generate")!;
    expect(sent.body).toMatchObject({
      max_budget: 25.5,
      budget_duration: "30d",
      tpm_limit: 1000,
      rpm_limit: 60,
      models: ["gpt-4o"],
    });
    expect((sent.body as { duration: string }).duration).toMatch(/^\d+s$/);
  });

  it("duration: 30d is an exact offset from now, not a calendar boundary; -1 never expires", async () => {
    const f = fx();
    await team(f);
    f.server.state.clock = () => new Date("2026-12-06T10:15:00.000Z");
    const thirty = await f.raw("POST", "/key/generate", { team_id: "t", duration: "30d" });
    expect(thirty.body.expires).toBe("2027-01-05T10:15:00.000Z");
    const never = await f.raw("POST", "/key/generate", { team_id: "t", duration: "-1" });
    expect(never.body.expires).toBeNull();
    // `_extract_from_regex` reads leading digits and an optional unit: "2hours" is 2 h.
    const loose = await f.raw("POST", "/key/generate", { team_id: "t", duration: "2hours" });
    expect(loose.body.expires).toBe("2026-12-06T12:15:00.000Z");
  });

  it("refuses as LiteLLM does: negative budget, bad secret, bad durations, wrong types", async () => {
    const f = fx();
    await team(f);
    const negative = await f.raw("POST", "/key/generate", { team_id: "t", max_budget: -1 });
    expect(negative).toEqual({
      status: 400,
      body: {
        error: {
          message: "{'error': 'max_budget cannot be negative. Received: -1.0'}",
          type: "internal_server_error",
          param: "None",
          code: "400",
        },
      },
    });
    const secret = await f.raw("POST", "/key/generate", { team_id: "t", key: "gatehouse-123456" });
    expect(secret.status).toBe(400);
    expect(secret.body.error.message).toBe(
      "{'error': \"Invalid key format. LiteLLM Virtual Key must start with 'sk-'. Received: gate****3456\"}",
    );
    expect(JSON.stringify(secret.body)).not.toContain("gatehouse-123456");
    const noUnit = await f.raw("POST", "/key/generate", { team_id: "t", duration: "30" });
    expect(noUnit.status).toBe(500);
    expect(noUnit.body.error).toMatchObject({
      message: "Unsupported duration unit, passed duration: 30",
      type: "internal_server_error",
    });
    const garbage = await f.raw("POST", "/key/generate", { team_id: "t", duration: "soon" });
    expect(garbage.body.error.message).toBe("Invalid duration format");
    const types = await f.raw("POST", "/key/generate", { team_id: "t", rpm_limit: 1.5 });
    expect(types.status).toBe(422);
    expect(types.body.detail[0].loc).toEqual(["body", "rpm_limit"]);
    expect(f.server.state.keys.size).toBe(0);

    // The client refuses what the proxy would, before sending.
    const local = await failure(
      f.client.generateKey({
        keyAlias: "a",
        teamId: "t",
        userId: "u",
        limits: { maxBudgetUsd: -5 },
      }),
    );
    expect(local.kind).toBe("rejected");
    const past = await failure(
      f.client.generateKey({ keyAlias: "a", teamId: "t", userId: "u", expiresAt: new Date(0) }),
    );
    expect(past.kind).toBe("rejected");
    expect(f.server.state.requests.filter((r) => r.path === "/key/generate")).toHaveLength(5);
  });

  it("accepts a key budget above the team's and models the team lacks (LiteLLM checks neither)", async () => {
    const f = fx();
    await team(f, { models: ["gpt-4o"], max_budget: 10, tpm_limit: 100 });
    const generated = await f.raw("POST", "/key/generate", {
      team_id: "t",
      user_id: "u",
      max_budget: 500,
      tpm_limit: 1000,
      models: ["claude-3"],
    });
    expect(generated.status).toBe(200);
    const updated = await f.raw("POST", "/key/update", {
      key: generated.body.key,
      max_budget: 900,
      models: ["o1"],
    });
    expect(updated.status).toBe(200);
  });
});

describe("key limits on /key/update", () => {
  const fx = useContractServer();

  it("changes only the fields sent; null clears a limit; duration moves expires from now", async () => {
    const f = fx();
    await team(f);
    await f.client.generateKey({
      key: SECRET,
      keyAlias: "a",
      teamId: "t",
      userId: "u",
      limits: { maxBudgetUsd: 5, tpmLimit: 10, rpmLimit: 2, budgetDuration: "1d" },
    });
    const token = (await f.client.keyInfo(SECRET)).token;
    const expiresAt = new Date(Date.now() + 3_600_000);
    const result = await f.client.updateKeyLimits({
      key: token,
      limits: { maxBudgetUsd: null, rpmLimit: 30, models: ["gpt-4o"] },
      expiresAt,
    });
    expect(Date.parse(result.expiresAt!)).toBeGreaterThanOrEqual(expiresAt.getTime());
    let info = await f.client.keyInfo(token);
    expect(info).toMatchObject({
      maxBudgetUsd: null,
      tpmLimit: 10,
      rpmLimit: 30,
      models: ["gpt-4o"],
      budgetDuration: "1d",
    });
    expect(info.expiresAt).toBe(result.expiresAt);

    await f.client.updateKeyLimits({ key: token, expiresAt: null });
    info = await f.client.keyInfo(token);
    expect(info.expiresAt).toBeNull();
    const last = f.server.state.requests.at(-2)!;
    expect(last.body).toEqual({ key: token, duration: null });
  });

  it("ignores `expires` (not an UpdateKeyRequest field) and a null budget_duration", async () => {
    const f = fx();
    await team(f);
    const key = (await f.raw("POST", "/key/generate", { team_id: "t", budget_duration: "7d" })).body
      .key;
    const before = (await f.raw("GET", `/key/info?key=${key}`)).body.info;
    await f.raw("POST", "/key/update", {
      key,
      expires: "2030-01-01T00:00:00Z",
      budget_duration: null,
    });
    const after = (await f.raw("GET", `/key/info?key=${key}`)).body.info;
    expect(after.expires).toBeNull();
    expect(after.budget_duration).toBe("7d");
    expect(after.budget_reset_at).toBe(before.budget_reset_at);
  });

  it("sending a budget_duration (even unchanged) restarts the period from the proxy's clock", async () => {
    const f = fx();
    await team(f);
    f.server.state.clock = () => new Date("2026-12-06T10:00:00.000Z");
    const key = (await f.raw("POST", "/key/generate", { team_id: "t", budget_duration: "1d" })).body
      .key;
    f.server.state.clock = () => new Date("2026-12-09T10:00:00.000Z");
    const updated = await f.raw("POST", "/key/update", { key, budget_duration: "1d" });
    expect(updated.body).toMatchObject({
      budget_duration: "1d",
      budget_reset_at: "2026-12-10T00:00:00.000Z",
    });
  });

  it("refuses as update_key_fn does: negative budget and bad durations as auth_error", async () => {
    const f = fx();
    await team(f);
    const key = (await f.raw("POST", "/key/generate", { team_id: "t" })).body.key;
    const negative = await f.raw("POST", "/key/update", { key, max_budget: -0.5 });
    expect(negative.status).toBe(400);
    expect(negative.body.error).toMatchObject({
      message: "{'error': 'max_budget cannot be negative. Received: -0.5'}",
      type: "auth_error",
    });
    const bad = await f.raw("POST", "/key/update", { key, duration: "forever" });
    expect(bad).toEqual({
      status: 400,
      body: {
        error: {
          message: "Authentication Error, Invalid duration format",
          type: "auth_error",
          param: "None",
          code: "400",
        },
      },
    });
    // Durations are parsed before the alias checks; an empty one is skipped on update only.
    await f.raw("POST", "/key/generate", { team_id: "t", key_alias: "taken" });
    const order = await f.raw("POST", "/key/update", { key, key_alias: "taken", duration: "x" });
    expect(order.body.error.message).toBe("Authentication Error, Invalid duration format");
    expect((await f.raw("POST", "/key/update", { key, duration: "" })).status).toBe(200);
    expect((await f.raw("POST", "/key/generate", { team_id: "t", duration: "" })).status).toBe(500);
    const local = await failure(f.client.updateKeyLimits({ key }));
    expect(local.kind).toBe("rejected");
  });

  it("on a team change, refuses models the new team lacks and limits above its own", async () => {
    const f = fx();
    await team(f);
    await f.raw("POST", "/team/new", { team_id: "narrow", models: ["gpt-4o"], tpm_limit: 50 });
    await f.raw("POST", "/team/member_add", {
      team_id: "narrow",
      member: { user_id: "u", role: "user" },
    });
    const withModel = (
      await f.raw("POST", "/key/generate", { team_id: "t", user_id: "u", models: ["o1"] })
    ).body.key;
    const moved = await f.raw("POST", "/key/update", { key: withModel, team_id: "narrow" });
    expect(moved.status).toBe(401);
    expect(moved.body.error).toMatchObject({
      message:
        "team not allowed to access model. This team can only access models=['gpt-4o']. Tried to access o1",
      type: "team_model_access_denied",
    });
    const error = await failure(f.client.updateKey({ key: withModel, teamId: "narrow" }));
    expect({ kind: error.kind, reason: error.reason }).toEqual({
      kind: "rejected",
      reason: "model_not_allowed",
    });

    const withTpm = (
      await f.raw("POST", "/key/generate", { team_id: "t", user_id: "u", tpm_limit: 500 })
    ).body.key;
    const tooBig = await failure(f.client.updateKey({ key: withTpm, teamId: "narrow" }));
    expect({ kind: tooBig.kind, reason: tooBig.reason, status: tooBig.status }).toEqual({
      kind: "rejected",
      reason: "limit_above_team",
      status: 403,
    });
  });
});

describe("key use (/v1/models with the virtual key) and expiry", () => {
  const fx = useContractServer();

  it("a key works until its expiry on the proxy's clock, then is refused as expired_key", async () => {
    const f = fx();
    await team(f, { models: ["gpt-4o"] });
    f.server.state.clock = () => new Date("2026-12-06T10:00:00.000Z");
    await f.raw("POST", "/key/generate", { key: SECRET, team_id: "t", duration: "1h" });
    const ok = await useKey(f, SECRET);
    expect(ok.status).toBe(200);
    const models = ok.body as { data: { id: string }[] };
    expect(models.data.map((m) => m.id)).toEqual(["gpt-4o"]);

    f.server.state.clock = () => new Date("2026-12-06T11:00:01.000Z");
    const expired = await useKey(f, SECRET);
    expect(expired).toEqual({
      status: 401,
      body: {
        error: {
          message:
            "Authentication Error - Expired Key. Key Expiry time 2026-12-06 11:00:00+00:00 and current time 2026-12-06 11:00:01+00:00",
          type: "expired_key",
          param: `sk-...${SECRET.slice(-4)}`,
          code: "401",
        },
      },
    });
    // Extending it (a new duration from now) makes it work again.
    await f.raw("POST", "/key/update", { key: SECRET, duration: "1d" });
    expect((await useKey(f, SECRET)).status).toBe(200);
  });

  it("unknown, blocked and deleted keys are refused; the master key may always list models", async () => {
    const f = fx();
    await team(f);
    f.server.state.settings.models = ["m1"];
    await f.raw("POST", "/key/generate", { key: SECRET, team_id: "t" });
    expect((await useKey(f, SECRET)).body.data).toEqual([
      { id: "m1", object: "model", created: 1677610602, owned_by: "openai" },
    ]);
    expect((await useKey(f, MASTER_KEY)).status).toBe(200);
    expect((await useKey(f, "sk-never-issued")).status).toBe(401);
    // A key's id (the hash) is no credential.
    expect((await useKey(f, (await f.client.keyInfo(SECRET)).token)).status).toBe(401);
    await f.raw("POST", "/key/block", { key: SECRET });
    expect((await useKey(f, SECRET)).body.error.message).toMatch(/Key is blocked/);
    await f.raw("POST", "/key/unblock", { key: SECRET });
    await f.raw("POST", "/team/block", { team_id: "t" });
    expect((await useKey(f, SECRET)).status).toBe(401);
    await f.raw("POST", "/team/unblock", { team_id: "t" });
    await f.raw("POST", "/key/delete", { keys: [SECRET] });
    expect((await useKey(f, SECRET)).status).toBe(401);
    // A virtual key is still no master key on management routes.
    const management = await fetch(`${f.server.url}/key/info?key=x`, {
      headers: { authorization: `Bearer ${SECRET}` },
    });
    expect(management.status).toBe(401);
  });

  it("rotation from open-source calls: two secrets for one key both work until the old is deleted", async () => {
    const f = fx();
    await team(f);
    const next = "sk-gatehouse-chosen-0002";
    await f.client.generateKey({ key: SECRET, keyAlias: "k", teamId: "t", userId: "u" });
    await f.client.generateKey({ key: next, keyAlias: "k-next", teamId: "t", userId: "u" });
    expect((await useKey(f, SECRET)).status).toBe(200);
    expect((await useKey(f, next)).status).toBe(200);
    expect(await f.client.checkKey(SECRET)).toEqual({ usable: true });
    await f.client.deleteKeysIdempotent({ keys: [SECRET] });
    expect((await useKey(f, SECRET)).status).toBe(401);
    expect((await useKey(f, next)).status).toBe(200);
    expect(await f.client.checkKey(SECRET)).toEqual({ usable: false, reason: "unknown" });
    expect(await f.client.checkKey(next)).toEqual({ usable: true });
    expect(f.server.state.regenerateCalls).toBe(0);
  });

  it("client.checkKey tells expired and blocked apart and never leaks the secret", async () => {
    const f = fx();
    await team(f);
    f.server.state.clock = () => new Date("2026-12-06T10:00:00.000Z");
    await f.raw("POST", "/key/generate", { key: SECRET, team_id: "t", duration: "1m" });
    await f.client.setKeyBlocked(SECRET, true);
    expect(await f.client.checkKey(SECRET)).toEqual({ usable: false, reason: "blocked" });
    await f.client.setKeyBlocked(SECRET, false);
    f.server.state.clock = () => new Date("2026-12-06T10:05:00.000Z");
    expect(await f.client.checkKey(SECRET)).toEqual({ usable: false, reason: "expired" });
    const log = JSON.stringify(f.server.state.requests.at(-1));
    expect(log).not.toContain(SECRET);
    f.server.faults.failNext(1, 503);
    const down = await failure(f.client.checkKey(SECRET));
    expect(down.kind).toBe("unavailable");
    expect(`${down.message} ${JSON.stringify(down)}`).not.toContain(SECRET);
  });
});

describe("budget reset job", () => {
  const fx = useContractServer();

  it("zeroes spend of due, unexpired keys and teams and moves their reset to the next boundary", async () => {
    const f = fx();
    await team(f, { budget_duration: "1d", max_budget: 10 });
    f.server.state.clock = () => new Date("2026-12-06T10:00:00.000Z");
    const due = (await f.raw("POST", "/key/generate", { team_id: "t", budget_duration: "1d" }))
      .body;
    const weekly = (await f.raw("POST", "/key/generate", { team_id: "t", budget_duration: "7d" }))
      .body;
    const expiring = (
      await f.raw("POST", "/key/generate", { team_id: "t", budget_duration: "1d", duration: "1h" })
    ).body;
    for (const key of [due, weekly, expiring]) f.server.state.setKeySpend(key.key as string, 3);
    f.server.state.setTeamSpend("t", { spend: 7, budgetResetAt: "2026-12-07T00:00:00.000Z" });

    // Nothing is due yet.
    expect(f.server.state.runBudgetReset(new Date("2026-12-06T23:59:59.000Z"))).toEqual({
      keys: [],
      teams: [],
    });
    // Three days later (the proxy was down): reset once, to the next boundary after now.
    const response = await fetch(`${f.server.url}/__control/reset-budgets`, {
      method: "POST",
      body: JSON.stringify({ at: "2026-12-09T08:00:00.000Z" }),
    });
    expect(await response.json()).toEqual({ keys: [due.token, weekly.token], teams: ["t"] });
    const info = async (key: string): Promise<Record<string, unknown>> =>
      ((await f.raw("GET", `/key/info?key=${key}`)).body as { info: Record<string, unknown> }).info;
    expect(await info(due.key as string)).toMatchObject({
      spend: 0,
      budget_reset_at: "2026-12-10T00:00:00.000Z",
    });
    // 7d resets on Mondays: due on the 7th, next on the 14th.
    expect(await info(weekly.key as string)).toMatchObject({
      spend: 0,
      budget_reset_at: "2026-12-14T00:00:00.000Z",
    });
    // An expired key is not reset (the job selects unexpired keys only).
    expect((await info(expiring.key as string)).spend).toBe(3);
    const teamInfo = (await f.raw("GET", "/team/info?team_id=t")).body.team_info;
    expect(teamInfo).toMatchObject({ spend: 0, budget_reset_at: "2026-12-10T00:00:00.000Z" });
  });
});

describe("/key/regenerate (Enterprise only)", () => {
  const fx = useContractServer();

  it("oss: both routes answer the Enterprise refusal, change nothing, and are counted", async () => {
    const f = fx();
    await team(f);
    await f.raw("POST", "/key/generate", { key: SECRET, team_id: "t" });
    const body = await f.raw("POST", "/key/regenerate", { key: SECRET });
    expect(body.status).toBe(500);
    expect(body.body.error).toMatchObject({
      type: "internal_server_error",
      param: "None",
      code: "500",
    });
    expect(body.body.error.message).toMatch(
      /^Regenerating Virtual Keys is an Enterprise feature, You must be a LiteLLM Enterprise user to use this feature\./,
    );
    const path = await f.raw("POST", `/key/${SECRET}/regenerate`, {});
    expect(path.status).toBe(500);
    // Refused before the key is even looked up.
    const unknown = await f.raw("POST", "/key/sk-nope/regenerate");
    expect(unknown.status).toBe(500);
    expect(f.server.state.regenerateCalls).toBe(3);
    expect((await useKey(f, SECRET)).status).toBe(200);
    const state = (await (await fetch(`${f.server.url}/__control/state`)).json()) as {
      regenerateCalls: number;
    };
    expect(state.regenerateCalls).toBe(3);
  });
});

describe("/key/regenerate with a licence", () => {
  const fx = useContractServer({ profile: "enterprise" });

  it("moves the key to a new secret and retires the old one at once", async () => {
    const f = fx();
    await team(f);
    await f.raw("POST", "/key/generate", { key: SECRET, team_id: "t", key_alias: "a" });
    const next = "sk-regenerated-0003";
    const answer = await f.raw("POST", `/key/${SECRET}/regenerate`, { new_key: next });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ key: next, key_alias: "a", team_id: "t" });
    expect((await useKey(f, SECRET)).status).toBe(401);
    expect((await useKey(f, next)).status).toBe(200);
    const bad = await f.raw("POST", "/key/regenerate", { key: next, new_key: "plain" });
    expect(bad.status).toBe(400);
    const missing = await f.raw("POST", "/key/regenerate", { key: "sk-unknown" });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe("{'error': 'Key sk-unknown not found.'}");
  });
});

describe("/team/member_update: a member's budget inside a team (open source)", () => {
  const fx = useContractServer();

  it("sets, shows and removes a member budget through the client", async () => {
    const f = fx();
    await team(f, { max_budget: 100 });
    const set = await f.client.setTeamMemberBudget({
      teamId: "t",
      userId: "u",
      maxBudgetInTeam: 12.5,
      rpmLimit: 10,
    });
    expect(set).toMatchObject({ teamId: "t", userId: "u", maxBudgetInTeam: 12.5 });
    const wire = f.server.state.requests.at(-1)!;
    expect(wire.body).toEqual({
      team_id: "t",
      user_id: "u",
      max_budget_in_team: 12.5,
      rpm_limit: 10,
    });
    expect(wire.status).toBe(200);

    f.server.state.setMemberSpend("t", "u", 4.25);
    expect(await f.client.teamMemberBudgets("t")).toEqual([
      {
        teamId: "t",
        userId: "u",
        maxBudgetInTeam: 12.5,
        tpmLimit: null,
        rpmLimit: 10,
        spend: 4.25,
      },
    ]);

    // Every call replaces the whole budget: a budget-only call drops the rate limit.
    await f.client.setTeamMemberBudget({ teamId: "t", userId: "u", maxBudgetInTeam: 20 });
    expect((await f.client.teamMemberBudgets("t"))[0]).toMatchObject({
      maxBudgetInTeam: 20,
      rpmLimit: null,
      spend: 4.25,
    });
    // All limits null: the budget row is disconnected.
    await f.client.setTeamMemberBudget({ teamId: "t", userId: "u", maxBudgetInTeam: null });
    expect(await f.client.teamMemberBudgets("t")).toEqual([]);
  });

  it("answers LiteLLM's shapes: admin role refused without a licence, missing team, unknown email, validation", async () => {
    const f = fx();
    await team(f);
    const admin = await f.raw("POST", "/team/member_update", {
      team_id: "t",
      user_id: "u",
      role: "admin",
    });
    expect(admin.status).toBe(400);
    expect(typeof admin.body.detail).toBe("string");
    expect(admin.body.detail).toMatch(/^Assigning team admins is a premium feature\./);
    const noTeam = await f.raw("POST", "/team/member_update", {
      team_id: "gone",
      user_id: "u",
      max_budget_in_team: 1,
    });
    expect(noTeam).toEqual({
      status: 400,
      body: { detail: { error: "Team id=gone does not exist in db" } },
    });
    const email = await f.raw("POST", "/team/member_update", {
      team_id: "t",
      user_email: "x@example.com",
      max_budget_in_team: 1,
    });
    expect(email.status).toBe(400);
    expect(email.body.detail.error).toMatch(
      /^User id doesn't exist in team table\. Data=user_id=None user_email='x@example.com' team_id='t'/,
    );
    const neither = await f.raw("POST", "/team/member_update", { team_id: "t" });
    expect(neither.status).toBe(422);
    expect(neither.body.detail[0]).toMatchObject({
      type: "value_error",
      loc: ["body"],
      msg: "Value error, Either user id or user email must be provided",
    });
    const role = await f.raw("POST", "/team/member_update", {
      team_id: "t",
      user_id: "u",
      role: "owner",
    });
    expect(role.status).toBe(422);

    const teamMissing = await failure(
      f.client.setTeamMemberBudget({ teamId: "gone", userId: "u", maxBudgetInTeam: 1 }),
    );
    expect({ kind: teamMissing.kind, reason: teamMissing.reason }).toEqual({
      kind: "not_found",
      reason: "team_not_found",
    });
    expect(f.server.state.getTeam("t")!.members.get("u")!.role).toBe("user");
  });

  it("a role change works for role user everywhere and admin with a licence; member_delete drops the budget", async () => {
    const f = fx();
    await team(f);
    const user = await f.raw("POST", "/team/member_update", {
      team_id: "t",
      user_id: "u",
      role: "user",
      max_budget_in_team: 3,
    });
    expect(user.body).toEqual({
      user_id: "u",
      user_email: null,
      team_id: "t",
      max_budget_in_team: 3,
      tpm_limit: null,
      rpm_limit: null,
    });
    await f.raw("POST", "/team/member_delete", { team_id: "t", user_id: "u" });
    expect(await f.client.teamMemberBudgets("t")).toEqual([]);
  });
});

describe("/team/member_update with a licence", () => {
  const fx = useContractServer({ profile: "enterprise" });

  it("assigns the admin role", async () => {
    const f = fx();
    await team(f);
    const answer = await f.raw("POST", "/team/member_update", {
      team_id: "t",
      user_id: "u",
      role: "admin",
    });
    expect(answer.status).toBe(200);
    expect(f.server.state.getTeam("t")!.members.get("u")!.role).toBe("admin");
  });
});

describe("budget reset job on its own schedule", () => {
  const fx = useContractServer({ budgetResetEveryMs: 10 });

  it("resets a due key without anyone asking, as a proxy's scheduler does", async () => {
    const f = fx();
    await team(f);
    f.server.state.clock = () => new Date("2026-12-06T10:00:00.000Z");
    const key = (await f.raw("POST", "/key/generate", { team_id: "t", budget_duration: "1h" }))
      .body as { key: string; token: string };
    f.server.state.setKeySpend(key.key, 2);
    f.server.state.clock = () => new Date("2026-12-06T11:30:00.000Z");
    await vi.waitFor(() => expect(f.server.state.keys.get(key.token)?.spend).toBe(0));
    expect(f.server.state.keys.get(key.token)?.budgetResetAt).toBe("2026-12-06T12:00:00.000Z");
  });
});

describe("budgets on key use: the key's, the team's, the member's in the team", () => {
  const fx = useContractServer();

  it("refuses with 400 budget_exceeded in LiteLLM's words, which checkKey reads as over_budget", async () => {
    const f = fx();
    await team(f, { max_budget: 10 });
    await f.client.generateKey({
      key: SECRET,
      keyAlias: "k",
      teamId: "t",
      userId: "u",
      limits: { maxBudgetUsd: 5 },
    });
    expect(await f.client.checkKey(SECRET)).toEqual({ usable: true });

    f.server.state.setKeySpend(SECRET, 5);
    expect(await useKey(f, SECRET)).toEqual({
      status: 400,
      body: {
        error: {
          message: "Budget has been exceeded! Current cost: 5.0, Max budget: 5.0",
          type: "budget_exceeded",
          param: "None",
          code: "400",
        },
      },
    });
    expect(await f.client.checkKey(SECRET)).toEqual({ usable: false, reason: "over_budget" });
    f.server.state.setKeySpend(SECRET, 1);

    // The team's budget is exceeded only strictly above it.
    f.server.state.setTeamSpend("t", { spend: 10 });
    expect((await useKey(f, SECRET)).status).toBe(200);
    f.server.state.setTeamSpend("t", { spend: 10.5 });
    expect((await useKey(f, SECRET)).body.error.message).toBe(
      "Budget has been exceeded! Team=t Current cost: 10.5, Max budget: 10.0",
    );
    f.server.state.setTeamSpend("t", { spend: 0 });

    // The member's budget inside the team (open-source /team/member_update).
    await f.client.setTeamMemberBudget({ teamId: "t", userId: "u", maxBudgetInTeam: 2 });
    const spent = await fetch(`${f.server.url}/__control/spend`, {
      method: "POST",
      body: JSON.stringify({ members: [{ teamId: "t", userId: "u", spend: 2 }] }),
    });
    expect(spent.status).toBe(200);
    expect((await useKey(f, SECRET)).body.error.message).toBe(
      "Budget has been exceeded! User=u in Team=t Current cost: 2.0, Max budget: 2.0",
    );
    expect(await f.client.checkKey(SECRET)).toEqual({ usable: false, reason: "over_budget" });
    // The reset job does not touch member spend; raising the budget lets the key in again.
    await f.client.setTeamMemberBudget({ teamId: "t", userId: "u", maxBudgetInTeam: 3 });
    expect(await f.client.checkKey(SECRET)).toEqual({ usable: true });
  });
});

describe("issue 26 control endpoints over HTTP", () => {
  const fx = useContractServer();

  it("fixes and frees the proxy clock; member spend needs a member budget", async () => {
    const f = fx();
    await team(f);
    const control = async (path: string, body: unknown) => {
      const response = await fetch(`${f.server.url}/__control/${path}`, {
        method: "POST",
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    expect(await control("clock", { now: "2030-01-01T00:00:00.000Z" })).toEqual({
      status: 200,
      body: { ok: true, now: "2030-01-01T00:00:00.000Z" },
    });
    const key = await f.raw("POST", "/key/generate", { team_id: "t", duration: "1d" });
    expect(key.body.expires).toBe("2030-01-02T00:00:00.000Z");
    const free = await control("clock", { now: null });
    expect(Math.abs(Date.parse(free.body.now as string) - Date.now())).toBeLessThan(60_000);
    expect((await control("clock", { now: "tomorrow" })).status).toBe(400);

    const missing = await control("spend", { members: [{ teamId: "t", userId: "u", spend: 1 }] });
    expect(missing.status).toBe(404);
    await f.client.setTeamMemberBudget({ teamId: "t", userId: "u", maxBudgetInTeam: 5 });
    expect(
      (await control("spend", { members: [{ teamId: "t", userId: "u", spend: 1 }] })).status,
    ).toBe(200);
    expect((await f.client.teamMemberBudgets("t"))[0]?.spend).toBe(1);
    await control("reset", {});
    expect(f.server.state.regenerateCalls).toBe(0);
  });
});
