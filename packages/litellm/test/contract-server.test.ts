import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { describe, expect, it, vi } from "vitest";
import { hashToken } from "../src/contract-server/index.ts";
import { useContractServer } from "./helpers.ts";

describe("contract server: LiteLLM wire answers", () => {
  const fx = useContractServer();

  it.each([
    ["no Authorization header", {}, "Authentication Error, No api key passed in."],
    ["a wrong key", { authorization: "Bearer sk-nope-1234" }, "Invalid proxy server token passed"],
    ["a non-Bearer header", { authorization: "Basic abc" }, "Invalid proxy server token passed"],
  ])("refuses %s with 401 auth_error", async (_name, headers, message) => {
    const { raw } = fx();
    const response = await fetch(`${fx().server.url}/team/new`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ team_id: "t" }),
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: Record<string, string> };
    expect(body.error).toMatchObject({ type: "auth_error", code: "401" });
    expect(body.error.message).toContain(message);
    expect((await raw("GET", "/__control/state")).body.teams).toEqual([]);
  });

  it.each([
    ["POST", "/team/new", "not json", 422, "json_invalid", ["body", 0]],
    [
      "POST",
      "/team/member_add",
      { member: [{ user_id: "u", role: "user" }] },
      422,
      "missing",
      ["body", "team_id"],
    ],
    ["POST", "/team/member_add", { team_id: "t" }, 422, "missing", ["body", "member"]],
    [
      "POST",
      "/team/member_add",
      { team_id: "t", member: [{ user_id: "u", role: "owner" }] },
      422,
      "literal_error",
      ["body", "member", 0, "role"],
    ],
    [
      "POST",
      "/team/member_add",
      { team_id: "t", member: { role: "user" } },
      422,
      "value_error",
      ["body", "member"],
    ],
    ["POST", "/team/new", { team_id: 42 }, 422, "string_type", ["body", "team_id"]],
    [
      "POST",
      "/key/generate",
      { team_id: "t", metadata: "x" },
      422,
      "dict_type",
      ["body", "metadata"],
    ],
    ["POST", "/key/update", { team_id: "t" }, 422, "missing", ["body", "key"]],
    ["POST", "/key/delete", { keys: "k" }, 422, "list_type", ["body", "keys"]],
    ["POST", "/key/update", [1, 2], 422, "model_attributes_type", ["body"]],
  ])("%s %s %j -> %i %s at %j", async (method, path, body, status, type, loc) => {
    const response = await fx().raw(method, path, body);
    expect(response.status).toBe(status);
    expect(response.body.detail[0]).toMatchObject({ type, loc });
  });

  it("unknown route and wrong method answer like FastAPI", async () => {
    const { raw } = fx();
    expect(await raw("GET", "/nope")).toEqual({ status: 404, body: { detail: "Not Found" } });
    expect(await raw("GET", "/team/new")).toEqual({
      status: 405,
      body: { detail: "Method Not Allowed" },
    });
    expect(await raw("GET", "/health/liveliness", undefined, { authorization: "" })).toEqual({
      status: 200,
      body: "I'm alive!",
    });
  });

  it("/team/new: a taken team_id fails with LiteLLM's 'already exists' (Python-repr'd) message", async () => {
    const { raw } = fx();
    expect((await raw("POST", "/team/new", { team_id: "t", team_alias: "T" })).status).toBe(200);
    const again = await raw("POST", "/team/new", { team_id: "t", team_alias: "T" });
    expect(again).toEqual({
      status: 400,
      body: {
        error: {
          message: "{'error': 'Team id = t already exists. Please use a different team id.'}",
          type: "internal_server_error",
          param: "None",
          code: "400",
        },
      },
    });
  });

  it("/team/new without team_id generates one; the master-key user becomes an admin member", async () => {
    const { raw } = fx();
    const created = await raw("POST", "/team/new", { team_alias: "T" });
    expect(created.body.team_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.body.members_with_roles).toEqual([
      { user_id: "default_user_id", user_email: null, role: "admin" },
    ]);
  });

  it("/team/member_add: unknown team is get_team_object's 404, duplicates 400 team_member_already_in_team", async () => {
    const { raw } = fx();
    expect(
      await raw("POST", "/team/member_add", {
        team_id: "t",
        member: [{ user_id: "u", role: "user" }],
      }),
    ).toEqual({
      status: 404,
      body: {
        detail: { error: "Team doesn't exist in db. Team=t. Create team via `/team/new` call." },
      },
    });
    await raw("POST", "/team/new", { team_id: "t" });
    const first = await raw("POST", "/team/member_add", {
      team_id: "t",
      member: [{ user_id: "u", role: "user" }],
    });
    expect(first.status).toBe(200);
    expect(first.body.updated_team_memberships).toEqual([
      expect.objectContaining({ user_id: "u", team_id: "t" }),
    ]);

    const all = await raw("POST", "/team/member_add", {
      team_id: "t",
      member: [{ user_id: "u", role: "user" }],
    });
    expect(all.status).toBe(400);
    expect(all.body.error).toMatchObject({
      type: "team_member_already_in_team",
      param: "member",
      code: "400",
    });
    expect(all.body.error.message).toMatch(
      /^All users are already in team\. Existing members=\[Member\(/,
    );

    const single = await raw("POST", "/team/member_add", {
      team_id: "t",
      member: { user_id: "u", role: "user" },
    });
    expect(single.body.error.message).toMatch(
      /^User already in team\. Member: user_id=u, user_email=null\./,
    );

    const mixed = await raw("POST", "/team/member_add", {
      team_id: "t",
      member: [
        { user_id: "u", role: "user" },
        { user_id: "v", role: "user" },
      ],
    });
    expect(mixed.status).toBe(200);
    expect((mixed.body.updated_users as { user_id: string }[]).map((u) => u.user_id)).toEqual([
      "v",
    ]);
  });

  it("/key/generate needs the team, returns key + token + token_id, and keeps aliases unique", async () => {
    const { raw, server } = fx();
    const missing = await raw("POST", "/key/generate", {
      team_id: "t",
      user_id: "u",
      key_alias: "a",
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe("Unable to find team object in database. Team ID: t");

    await raw("POST", "/team/new", { team_id: "t" });
    const created = await raw("POST", "/key/generate", {
      team_id: "t",
      user_id: "u",
      key_alias: "a",
      metadata: { m: 1 },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      team_id: "t",
      user_id: "u",
      key_alias: "a",
      metadata: { m: 1 },
    });
    expect(created.body.token).toBe(hashToken(created.body.key as string));
    expect(created.body.token_id).toBe(created.body.token);
    expect(server.state.getKey(created.body.key as string)?.token).toBe(created.body.token);

    const dup = await raw("POST", "/key/generate", { team_id: "t", user_id: "u", key_alias: "a" });
    expect(dup.status).toBe(400);
    expect(dup.body.error).toMatchObject({ type: "bad_request_error", param: "key_alias" });
    expect(dup.body.error.message).toBe(
      "Key with alias 'a' already exists. Unique key aliases across all keys are required.",
    );
  });

  it("/key/update: unknown key 404, missing team 404, non-member owner 403, member move 200", async () => {
    const { raw } = fx();
    expect(
      (await raw("POST", "/key/update", { key: "nope", team_id: "x" })).body.error.message,
    ).toBe("{'error': 'Team not found, passed team_id=x'}");
    await raw("POST", "/team/new", { team_id: "a" });
    const { body: key } = await raw("POST", "/key/generate", {
      team_id: "a",
      user_id: "u",
      key_alias: "k",
    });

    const missingTeam = await raw("POST", "/key/update", { key: key.token, team_id: "b" });
    expect(missingTeam).toEqual({
      status: 404,
      body: {
        error: {
          message: "Team doesn't exist in db. Team=b. Create team via `/team/new` call.",
          type: "auth_error",
          param: "None",
          code: "404",
        },
      },
    });

    await raw("POST", "/team/new", { team_id: "b" });
    const notMember = await raw("POST", "/key/update", { key: key.token, team_id: "b" });
    expect(notMember.status).toBe(403);
    expect(notMember.body.error.message).toBe(
      "User=u is not a member of the team=b. Check team members via `/team/info`.",
    );

    await raw("POST", "/team/member_add", {
      team_id: "b",
      member: [{ user_id: "u", role: "user" }],
    });
    const moved = await raw("POST", "/key/update", { key: key.key, team_id: "b", key_alias: "k2" });
    expect(moved).toEqual({ status: 200, body: { key: key.key, team_id: "b", key_alias: "k2" } });
    const info = await raw("GET", `/key/info?key=${key.token as string}`);
    expect(info.body.info).toMatchObject({ team_id: "b", key_alias: "k2", user_id: "u" });
    expect(info.body.info.token).toBeUndefined();
  });

  it("/key/delete: none found 404 'No keys found'; partial deletes what exists; nothing given 500", async () => {
    const { raw, server } = fx();
    await raw("POST", "/team/new", { team_id: "t" });
    const { body: key } = await raw("POST", "/key/generate", {
      team_id: "t",
      user_id: "u",
      key_alias: "k",
    });
    const partial = await raw("POST", "/key/delete", { keys: [key.token, "gone"] });
    expect(partial).toEqual({ status: 200, body: { deleted_keys: [key.token, "gone"] } });
    expect(server.state.keys.size).toBe(0);
    const none = await raw("POST", "/key/delete", { keys: [key.token] });
    expect(none.status).toBe(404);
    expect(none.body.error.message).toBe("{'error': 'No keys found'}");
    expect((await raw("POST", "/key/delete", {})).body.error.message).toBe("Invalid request type");
  });

  it("/team/block, /team/unblock: blocked shows in /team/info; missing team 404; team_id required", async () => {
    const { raw } = fx();
    await raw("POST", "/team/new", { team_id: "t" });
    const blocked = await raw("POST", "/team/block", { team_id: "t" });
    expect(blocked.status).toBe(200);
    expect(blocked.body).toMatchObject({ team_id: "t", blocked: true });
    expect((await raw("GET", "/team/info?team_id=t")).body.team_info.blocked).toBe(true);
    await raw("POST", "/team/unblock", { team_id: "t" });
    expect((await raw("GET", "/team/info?team_id=t")).body.team_info.blocked).toBe(false);
    expect(await raw("POST", "/team/block", { team_id: "nope" })).toEqual({
      status: 404,
      body: { detail: { error: "Team not found, passed team_id=nope" } },
    });
    expect((await raw("POST", "/team/unblock", {})).status).toBe(422);
  });

  it("/key/block, /key/unblock by secret or token: blocked shows in /key/info; missing key 401 token_not_found_in_db", async () => {
    const { raw } = fx();
    await raw("POST", "/team/new", { team_id: "t" });
    const { body: key } = await raw("POST", "/key/generate", {
      team_id: "t",
      user_id: "u",
      key_alias: "k",
    });
    expect((await raw("GET", `/key/info?key=${key.token as string}`)).body.info.blocked).toBeNull();
    const blocked = await raw("POST", "/key/block", { key: key.key });
    expect(blocked.status).toBe(200);
    expect(blocked.body).toMatchObject({ blocked: true, token: key.token });
    expect((await raw("GET", `/key/info?key=${key.token as string}`)).body.info.blocked).toBe(true);
    await raw("POST", "/key/unblock", { key: key.token });
    expect((await raw("GET", `/key/info?key=${key.token as string}`)).body.info.blocked).toBe(
      false,
    );
    for (const route of ["/key/block", "/key/unblock"]) {
      const missing = await raw("POST", route, { key: "nope" });
      expect(missing.status).toBe(401);
      expect(missing.body.error).toMatchObject({
        message:
          "Authentication Error, Invalid proxy server token passed. key=nope, not found in db. Create key via `/key/generate` call.",
        type: "token_not_found_in_db",
        param: "key",
      });
    }
  });

  it("/team/update: limits as sent (null clears), a bad budget_duration is an uncaught 500, wrong types 422", async () => {
    const { raw } = fx();
    await raw("POST", "/team/new", { team_id: "t" });
    const limits = {
      max_budget: 12.5,
      budget_duration: "1mo",
      tpm_limit: 100,
      rpm_limit: 5,
      models: ["m"],
    };
    expect((await raw("POST", "/team/update", { team_id: "t", ...limits })).status).toBe(200);
    expect((await raw("GET", "/team/info?team_id=t")).body.team_info).toMatchObject(limits);
    await raw("POST", "/team/update", { team_id: "t", max_budget: null, models: [] });
    expect((await raw("GET", "/team/info?team_id=t")).body.team_info).toMatchObject({
      max_budget: null,
      models: [],
      rpm_limit: 5,
    });
    expect(
      (await raw("POST", "/team/update", { team_id: "t", budget_duration: "soon" })).status,
    ).toBe(500);
    expect((await raw("POST", "/team/update", { team_id: "t", rpm_limit: 1.5 })).status).toBe(422);
  });

  it("/key/info: unknown key 404 not_found_error", async () => {
    expect(await fx().raw("GET", "/key/info?key=nope")).toEqual({
      status: 404,
      body: {
        error: {
          message: "Key not found in database",
          type: "not_found_error",
          param: "key",
          code: "404",
        },
      },
    });
  });
});

describe("contract server: behaviour profiles", () => {
  const NOT_PREMIUM =
    "You must be a LiteLLM Enterprise user to use this feature. If you have a license please set `LITELLM_LICENSE` in your env. Get a 7 day trial key here: https://www.litellm.ai/#trial. Pricing: https://www.litellm.ai/#pricing";

  describe("oss (default)", () => {
    const fx = useContractServer();

    it("/team/member_add refuses a team admin with FastAPI's 400 before looking the team up", async () => {
      const { raw, server } = fx();
      expect(
        await raw("POST", "/team/member_add", {
          team_id: "missing",
          member: { user_id: "u", role: "admin" },
        }),
      ).toEqual({
        status: 400,
        body: { detail: { error: `Assigning team admins is a premium feature. ${NOT_PREMIUM}` } },
      });
      await raw("POST", "/team/new", { team_id: "t" });
      const list = await raw("POST", "/team/member_add", {
        team_id: "t",
        member: [
          { user_id: "u", role: "user" },
          { user_id: "a", role: "admin" },
        ],
      });
      expect(list).toEqual({
        status: 400,
        body: {
          detail: {
            error: `Assigning team admins is a premium feature. Got=user_email=None user_id='a' role='admin'. ${NOT_PREMIUM}. `,
          },
        },
      });
      expect(server.state.getTeam("t")?.members.has("u")).toBe(false); // nothing added
    });

    it("refuses an alias containing '..' but accepts spaces and other characters", async () => {
      const { raw } = fx();
      await raw("POST", "/team/new", { team_id: "t" });
      const dots = await raw("POST", "/key/generate", { team_id: "t", key_alias: "t/v2..beta" });
      expect(dots.status).toBe(400);
      expect(dots.body.error).toMatchObject({
        type: "bad_request_error",
        param: "key_alias",
        code: "400",
      });
      expect(
        (await raw("POST", "/key/generate", { team_id: "t", key_alias: "t/v2 beta!" })).status,
      ).toBe(200);
    });

    it("/team/update changes only the fields sent and validates them like pydantic", async () => {
      const { raw, server } = fx();
      await raw("POST", "/team/new", { team_id: "t", team_alias: "Old", max_budget: 10 });
      const updated = await raw("POST", "/team/update", {
        team_id: "t",
        team_alias: "New",
        tpm_limit: 100,
        models: ["gpt-4o"],
        blocked: true,
      });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({
        team_id: "t",
        data: {
          team_alias: "New",
          max_budget: 10,
          tpm_limit: 100,
          models: ["gpt-4o"],
          blocked: true,
        },
      });
      expect(server.state.getTeam("t")).toMatchObject({
        teamAlias: "New",
        maxBudget: 10,
        tpmLimit: 100,
        rpmLimit: null,
        blocked: true,
      });

      expect((await raw("POST", "/team/update", { team_id: "t", rpm_limit: 1.5 })).status).toBe(
        422,
      );
      expect((await raw("POST", "/team/update", { team_id: "t", blocked: "maybe" })).status).toBe(
        422,
      );
      expect(
        await raw("POST", "/team/update", { team_id: "t", budget_duration: "forever" }),
      ).toEqual({ status: 500, body: "Internal Server Error" });
      expect(
        (await raw("POST", "/team/update", { team_id: "t", budget_duration: "30d" })).status,
      ).toBe(200);
      expect(await raw("POST", "/team/update", { team_id: "nope", team_alias: "X" })).toEqual({
        status: 404,
        body: { detail: { error: "Team not found, passed team_id=nope" } },
      });
    });

    it("/team/delete deletes the teams and their keys, and refuses everything if one is missing", async () => {
      const { raw, server } = fx();
      await raw("POST", "/team/new", { team_id: "a" });
      await raw("POST", "/team/new", { team_id: "b" });
      await raw("POST", "/key/generate", { team_id: "a", key_alias: "ka" });
      const kb = await raw("POST", "/key/generate", { team_id: "b", key_alias: "kb" });
      expect(await raw("POST", "/team/delete", { team_ids: ["a", "zzz"] })).toEqual({
        status: 404,
        body: { detail: { error: "Team not found, passed team_id=zzz" } },
      });
      expect(server.state.teams.size).toBe(2);
      expect((await raw("POST", "/team/delete", { team_ids: ["a"] })).status).toBe(200);
      expect([...server.state.teams.keys()]).toEqual(["b"]);
      expect([...server.state.keys.keys()]).toEqual([kb.body.token]);
      expect(server.state.aliasOwner("ka")).toBeUndefined();
      expect((await raw("POST", "/team/delete", {})).status).toBe(422);
    });

    it("/team/info returns the team and its keys; a missing team is a ProxyException 404", async () => {
      const { raw } = fx();
      await raw("POST", "/team/new", { team_id: "t", team_alias: "T" });
      await raw("POST", "/key/generate", { team_id: "t", key_alias: "k" });
      const info = await raw("GET", "/team/info?team_id=t");
      expect(info.status).toBe(200);
      expect(info.body).toMatchObject({
        team_id: "t",
        team_info: { team_alias: "T" },
        keys: [{ key_alias: "k" }],
      });
      expect(await raw("GET", "/team/info?team_id=nope")).toEqual({
        status: 404,
        body: {
          error: {
            message: "{'message': 'Team not found, passed team id: nope.'}",
            type: "auth_error",
            param: "None",
            code: "404",
          },
        },
      });
    });
  });

  describe("enterprise", () => {
    const fx = useContractServer({ profile: "enterprise" });

    it("/team/member_add accepts team admins", async () => {
      const { raw, server } = fx();
      await raw("POST", "/team/new", { team_id: "t" });
      expect(
        (
          await raw("POST", "/team/member_add", {
            team_id: "t",
            member: { user_id: "a", role: "admin" },
          })
        ).status,
      ).toBe(200);
      expect(server.state.getTeam("t")?.members.get("a")?.role).toBe("admin");
    });
  });

  describe("strict-alias (v1.82.0)", () => {
    const fx = useContractServer({ profile: "strict-alias" });

    it.each([
      ["t/v2 beta", 400],
      ["t/trailing.", 400],
      ["-lead", 400],
      ["a", 400],
      ["t/v2.beta_release-1", 200],
      ["a".repeat(255), 200],
      ["a".repeat(256), 400],
    ])("generate with alias %j -> %i", async (alias, status) => {
      const { raw } = fx();
      await raw("POST", "/team/new", { team_id: "t" });
      const answer = await raw("POST", "/key/generate", { team_id: "t", key_alias: alias });
      expect(answer.status).toBe(status);
      if (status === 400) expect(answer.body.error.message).toMatch(/^Invalid key_alias format\./);
    });

    it("/key/update checks a changed alias, not an unchanged one", async () => {
      const { raw, server } = fx();
      await raw("POST", "/team/new", { team_id: "t" });
      const key = await raw("POST", "/key/generate", { team_id: "t", key_alias: "ok-alias" });
      expect(
        (await raw("POST", "/key/update", { key: key.body.token, key_alias: "bad alias" })).status,
      ).toBe(400);
      expect(
        (await raw("POST", "/key/update", { key: key.body.token, key_alias: "ok-alias" })).status,
      ).toBe(200);
      expect(server.state.getKey(key.body.token as string)?.keyAlias).toBe("ok-alias");
    });
  });
});

describe("contract server: request log", () => {
  const fx = useContractServer();

  it("records method, path, query, body, status and fault, never the Authorization header", async () => {
    const { raw, server } = fx();
    await raw("POST", "/team/new", { team_id: "t" });
    await raw("GET", "/key/info?key=abc");
    server.faults.failNext(1);
    await raw("POST", "/team/new", { team_id: "u" });
    expect(
      server.state.requests.map(({ seq, method, path, query, body, status, fault }) => ({
        seq,
        method,
        path,
        query,
        body,
        status,
        fault,
      })),
    ).toEqual([
      {
        seq: 1,
        method: "POST",
        path: "/team/new",
        query: "",
        body: { team_id: "t" },
        status: 200,
        fault: null,
      },
      {
        seq: 2,
        method: "GET",
        path: "/key/info",
        query: "key=abc",
        body: undefined,
        status: 404,
        fault: null,
      },
      {
        seq: 3,
        method: "POST",
        path: "/team/new",
        query: "",
        body: { team_id: "u" },
        status: 500,
        fault: "fail-next",
      },
    ]);
    expect(JSON.stringify(server.state.requests)).not.toContain("Bearer");
    expect(server.state.requestsSince(2).map((r) => r.seq)).toEqual([3]);
  });
});

describe("contract server: control endpoints over HTTP", () => {
  const fx = useContractServer();

  it("latency delays LiteLLM calls, not control calls", async () => {
    const { raw } = fx();
    expect((await raw("POST", "/__control/latency", { ms: 300 })).body.faults.latencyMs).toBe(300);
    const started = performance.now();
    await raw("POST", "/team/new", { team_id: "t" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    const controlStarted = performance.now();
    await raw("GET", "/__control/state");
    expect(performance.now() - controlStarted).toBeLessThan(250);
  });

  it("fail-next fails the next N calls (optionally on one path) without effect", async () => {
    const { raw } = fx();
    await raw("POST", "/__control/fail-next", { count: 2, status: 503, path: "/team/new" });
    expect((await raw("GET", "/key/info?key=x")).status).toBe(404); // other path unaffected
    expect((await raw("POST", "/team/new", { team_id: "t" })).status).toBe(503);
    const second = await raw("POST", "/team/new", { team_id: "t" });
    expect(second.body.error).toMatchObject({ code: "503", type: "internal_server_error" });
    expect((await raw("POST", "/team/new", { team_id: "t" })).status).toBe(200);
    const state = await raw("GET", "/__control/state");
    expect((state.body.teams as { teamId: string }[]).map((t) => t.teamId)).toEqual(["t"]);
    expect(state.body.faults.failNext).toEqual([]);
  });

  it("down destroys LiteLLM connections while control stays reachable; up restores", async () => {
    const { raw, server } = fx();
    await raw("POST", "/__control/down", {});
    await expect(raw("POST", "/team/new", { team_id: "t" })).rejects.toThrow();
    expect((await raw("GET", "/__control/state")).body.faults.down).toBe("destroy");
    await raw("POST", "/__control/up");
    expect((await raw("POST", "/team/new", { team_id: "t" })).status).toBe(200);
    expect(server.state.requests.map((r) => r.fault)).toEqual(["down", null]);
  });

  it("down with mode refuse needs forMs, then refuses connections and comes back by itself", async () => {
    const { raw } = fx();
    expect((await raw("POST", "/__control/down", { mode: "refuse" })).status).toBe(400);
    expect((await raw("POST", "/__control/down", { mode: "refuse", forMs: 300 })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const refused = await raw("GET", "/__control/state").catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Error);
    await vi.waitFor(
      async () => expect((await raw("GET", "/__control/state")).body.faults.down).toBeNull(),
      {
        timeout: 3_000,
        interval: 50,
      },
    );
  });

  it("requests lists the log since a sequence number; reset clears state, log and faults", async () => {
    const { raw } = fx();
    await raw("POST", "/team/new", { team_id: "t" });
    await raw("POST", "/team/new", { team_id: "u" });
    const since = await raw("GET", "/__control/requests?since=1");
    expect((since.body.requests as { body: unknown }[]).map((r) => r.body)).toEqual([
      { team_id: "u" },
    ]);
    await raw("POST", "/__control/latency", { ms: 5 });
    await raw("POST", "/__control/reset");
    const state = await raw("GET", "/__control/state");
    expect(state.body).toMatchObject({ teams: [], keys: [], requestCount: 0 });
    expect(state.body.faults).toEqual({ latencyMs: 0, failNext: [], down: null });
  });

  it.each([
    ["/__control/latency", { ms: -1 }],
    ["/__control/fail-next", { count: 0 }],
    ["/__control/fail-next", { count: 1, status: 200 }],
    ["/__control/down", { mode: "sideways" }],
    ["/__control/nope", {}],
  ])("rejects POST %s %j", async (path, body) => {
    const response = await fx().raw("POST", path, body);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(typeof response.body.error).toBe("string");
  });

  it("answers CORS preflight so a browser page can drive it", async () => {
    const response = await fetch(`${fx().server.url}/__control/latency`, { method: "OPTIONS" });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
  });
});

describe("contract server: programmatic faults", () => {
  const fx = useContractServer();

  it.each([
    ["negative latency", () => fx().server.faults.setLatency(-5)],
    ["zero count", () => fx().server.faults.failNext(0)],
    ["non-error status", () => fx().server.faults.failNext(1, 302)],
  ])("refuses %s", (_name, call) => {
    expect(call).toThrow(RangeError);
  });
});

describe("contract-server main (separate process)", () => {
  it("reads PORT and LITELLM_MASTER_KEY, prints its URL, serves, and stops on SIGTERM", async () => {
    const main = fileURLToPath(new URL("../src/contract-server/main.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", main], {
      env: { ...process.env, PORT: "0", LITELLM_MASTER_KEY: "sk-main-test-key" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const [chunk] = (await once(child.stdout, "data")) as [Buffer];
      const url = /listening on (http:\/\/\S+)/.exec(chunk.toString())?.[1];
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const response = await fetch(`${url}/team/new`, {
        method: "POST",
        headers: { authorization: "Bearer sk-main-test-key", "content-type": "application/json" },
        body: JSON.stringify({ team_id: "t" }),
      });
      expect(response.status).toBe(200);
      child.kill("SIGTERM");
      const [code] = (await once(child, "exit")) as [number | null];
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
