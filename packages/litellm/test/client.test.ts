import { createHash } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { LiteLLMClient, LiteLLMError, litellmKeyToken } from "../src/index.ts";
import { MASTER_KEY, caught, useContractServer } from "./helpers.ts";

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

async function expectLiteLLMError(
  promise: Promise<unknown>,
  expected: Partial<Pick<LiteLLMError, "kind" | "reason" | "retryable" | "status" | "operation">>,
): Promise<LiteLLMError> {
  const error = await caught(() => promise);
  expect(error).toBeInstanceOf(LiteLLMError);
  expect(error).toMatchObject(expected);
  return error as LiteLLMError;
}

describe("LiteLLMClient endpoints (happy paths)", () => {
  const fx = useContractServer();

  it("createTeam sends team_id and team_alias and returns the team", async () => {
    const { client, server } = fx();
    const team = await client.createTeam({ teamId: "eu-west_t1", teamAlias: "Team One" });
    expect(team).toMatchObject({ teamId: "eu-west_t1", teamAlias: "Team One" });
    expect(server.state.requests.at(-1)).toMatchObject({
      method: "POST",
      path: "/team/new",
      body: { team_id: "eu-west_t1", team_alias: "Team One" },
      status: 200,
    });
    expect(server.state.getTeam("eu-west_t1")?.teamAlias).toBe("Team One");
  });

  it("addTeamMembers sends member: [{ user_id, role }] and returns the members", async () => {
    const { client, server } = fx();
    await client.createTeam({ teamId: "t", teamAlias: "T" });
    const team = await client.addTeamMembers({
      teamId: "t",
      members: [
        { userId: "u1", role: "user" },
        { userId: "u2", role: "user" },
      ],
    });
    expect(team.members).toEqual(
      expect.arrayContaining([
        { userId: "u1", userEmail: null, role: "user" },
        { userId: "u2", userEmail: null, role: "user" },
      ]),
    );
    expect(server.state.requests.at(-1)?.body).toEqual({
      team_id: "t",
      member: [
        { user_id: "u1", role: "user" },
        { user_id: "u2", role: "user" },
      ],
    });
  });

  it("generateKey returns the secret once and its token id (sha256 of the secret)", async () => {
    const { client, server } = fx();
    await client.createTeam({ teamId: "t", teamAlias: "T" });
    const key = await client.generateKey({
      keyAlias: "t/ci",
      teamId: "t",
      userId: "u1",
      metadata: { gatehouseKeyId: "k1" },
    });
    expect(key.key).toMatch(/^sk-[A-Za-z0-9_-]{22}$/);
    expect(key.token).toBe(sha256(key.key));
    expect(key).toMatchObject({ keyAlias: "t/ci", teamId: "t", userId: "u1" });
    // The server keeps only the hash, never the secret.
    expect(JSON.stringify(server.state.snapshot())).not.toContain(key.key);
    expect(server.state.getKey(key.token)?.metadata).toEqual({ gatehouseKeyId: "k1" });
  });

  it("updateKey renames by token id; keyInfo reads by token id or by secret", async () => {
    const { client } = fx();
    await client.createTeam({ teamId: "t", teamAlias: "T" });
    const key = await client.generateKey({ keyAlias: "old", teamId: "t", userId: "u1" });
    const updated = await client.updateKey({ key: key.token, keyAlias: "new" });
    expect(updated).toEqual({ token: key.token, keyAlias: "new" });
    const byToken = await client.keyInfo(key.token);
    const bySecret = await client.keyInfo(key.key);
    expect(byToken).toEqual(bySecret);
    expect(byToken).toMatchObject({
      token: key.token,
      keyAlias: "new",
      keyName: `sk-...${key.key.slice(-4)}`,
      teamId: "t",
      userId: "u1",
    });
  });

  it("deleteKeys deletes and keyInfo then reports not_found", async () => {
    const { client } = fx();
    await client.createTeam({ teamId: "t", teamAlias: "T" });
    const a = await client.generateKey({ keyAlias: "a", teamId: "t", userId: "u1" });
    const b = await client.generateKey({ keyAlias: "b", teamId: "t", userId: "u1" });
    expect(await client.deleteKeys({ keys: [a.token, b.token] })).toEqual({
      deletedKeys: [a.token, b.token],
    });
    await expectLiteLLMError(client.keyInfo(a.token), {
      kind: "not_found",
      reason: "key_not_found",
      status: 404,
    });
  });

  it("litellmKeyToken hashes secrets and passes token ids through", () => {
    expect(litellmKeyToken("sk-abc")).toBe(sha256("sk-abc"));
    expect(litellmKeyToken(sha256("sk-abc"))).toBe(sha256("sk-abc"));
  });
});

describe("caller-chosen key secret", () => {
  const fx = useContractServer();

  it("creates the key with the given secret, so its id is known before the call", async () => {
    const { client } = fx();
    await client.createTeam({ teamId: "t", teamAlias: "T" });
    const secret = "sk-chosen-by-gatehouse-0123456789";
    const created = await client.generateKey({
      key: secret,
      keyAlias: "t/a",
      teamId: "t",
      userId: "u",
    });
    expect(created.key).toBe(secret);
    expect(created.token).toBe(litellmKeyToken(secret));
    expect((await client.keyInfo(litellmKeyToken(secret))).keyAlias).toBe("t/a");
  });

  it("refuses a secret that is not a virtual key; a second key with the same secret changes nothing", async () => {
    const { client } = fx();
    await client.createTeam({ teamId: "t", teamAlias: "T" });
    await expectLiteLLMError(
      client.generateKey({ key: "not-sk", keyAlias: "x", teamId: "t", userId: "u" }),
      {
        kind: "rejected",
        status: 400,
      },
    );
    const secret = "sk-chosen-twice-0123456789";
    await client.generateKey({ key: secret, keyAlias: "t/a", teamId: "t", userId: "u" });
    // LiteLLM upserts with `update: {}`: 200, the request echoed, the stored key unchanged.
    const again = await client.generateKey({
      key: secret,
      keyAlias: "t/b",
      teamId: "t",
      userId: "u",
    });
    expect(again.keyAlias).toBe("t/b");
    expect((await client.keyInfo(secret)).keyAlias).toBe("t/a");
  });
});

describe("master key", () => {
  const fx = useContractServer();

  it("is sent as a Bearer token; a wrong one is refused as unauthorized and never echoed", async () => {
    const wrongKey = "sk-WRONG-master-key-1234567";
    const client = fx().makeClient({ masterKey: wrongKey });
    const error = await expectLiteLLMError(client.createTeam({ teamId: "t", teamAlias: "T" }), {
      kind: "unauthorized",
      reason: "bad_master_key",
      retryable: false,
      status: 401,
    });
    for (const text of [error.message, String(error), error.stack ?? "", JSON.stringify(error)]) {
      expect(text).not.toContain(wrongKey);
      expect(text).not.toContain(wrongKey.slice(-4)); // LiteLLM echoes the last 4 characters
      expect(text).not.toContain(sha256(wrongKey)); // ...and the key's hash
    }
    expect(fx().server.state.teams.size).toBe(0);
  });

  it("is not exposed by the client object", () => {
    const client = fx().client;
    expect(JSON.stringify(client)).not.toContain(MASTER_KEY);
    expect(Object.values(client)).not.toContain(MASTER_KEY);
  });
});

describe("team change validation on /key/update", () => {
  const fx = useContractServer();

  async function keyInSource(client: LiteLLMClient): Promise<string> {
    await client.ensureTeam({ teamId: "eu_source", teamAlias: "Source" });
    await client.ensureTeamMembers({
      teamId: "eu_source",
      members: [{ userId: "owner", role: "user" }],
    });
    return (
      await client.generateKey({ keyAlias: "eu_source/k", teamId: "eu_source", userId: "owner" })
    ).token;
  }

  it("moving to a team that does not exist fails with LiteLLM's message (not_found/team_not_found)", async () => {
    const { client, server } = fx();
    const token = await keyInSource(client);
    const error = await expectLiteLLMError(client.updateKey({ key: token, teamId: "eu_target" }), {
      kind: "not_found",
      reason: "team_not_found",
      retryable: false,
    });
    expect(error.litellmMessage).toBe(
      "Team doesn't exist in db. Team=eu_target. Create team via `/team/new` call.",
    );
    expect(server.state.getKey(token)?.teamId).toBe("eu_source");
  });

  it("moving a key whose owner is not a member of the target is refused (403, rejected/not_team_member)", async () => {
    const { client, server } = fx();
    const token = await keyInSource(client);
    await client.ensureTeam({ teamId: "eu_target", teamAlias: "Target" });
    const error = await expectLiteLLMError(client.updateKey({ key: token, teamId: "eu_target" }), {
      kind: "rejected",
      reason: "not_team_member",
      status: 403,
      retryable: false,
    });
    expect(error.litellmMessage).toContain("User=owner is not a member of the team=eu_target");
    expect(server.state.getKey(token)?.teamId).toBe("eu_source");
  });

  it("after ensureTeam + ensureTeamMembers the move succeeds, and repeating it is harmless", async () => {
    const { client, server } = fx();
    const token = await keyInSource(client);
    await client.ensureTeam({ teamId: "eu_target", teamAlias: "Target" });
    await client.ensureTeamMembers({
      teamId: "eu_target",
      members: [{ userId: "owner", role: "user" }],
    });
    const moved = await client.updateKey({
      key: token,
      teamId: "eu_target",
      keyAlias: "eu_target/k",
    });
    expect(moved).toEqual({ token, teamId: "eu_target", keyAlias: "eu_target/k" });
    await client.updateKey({ key: token, teamId: "eu_target", keyAlias: "eu_target/k" });
    expect(await client.keyInfo(token)).toMatchObject({
      teamId: "eu_target",
      keyAlias: "eu_target/k",
    });
    expect(server.state.keys.size).toBe(1);
  });

  it("updating a key that does not exist is not_found/key_not_found despite LiteLLM's wording", async () => {
    const { client } = fx();
    await client.ensureTeam({ teamId: "t", teamAlias: "T" });
    const error = await expectLiteLLMError(
      client.updateKey({ key: sha256("sk-gone"), teamId: "t" }),
      {
        kind: "not_found",
        reason: "key_not_found",
        status: 404,
      },
    );
    expect(error.litellmMessage).toBe("Team not found, passed team_id=t");
  });

  it("generateKey for a team that does not exist is not_found/team_not_found", async () => {
    const { client, server } = fx();
    await expectLiteLLMError(
      client.generateKey({ keyAlias: "k", teamId: "missing", userId: "u" }),
      {
        kind: "not_found",
        reason: "team_not_found",
        status: 400,
      },
    );
    expect(server.state.keys.size).toBe(0);
  });

  it("a key alias already used by another key is a conflict", async () => {
    const { client } = fx();
    await client.ensureTeam({ teamId: "t", teamAlias: "T" });
    await client.generateKey({ keyAlias: "same", teamId: "t", userId: "u" });
    await expectLiteLLMError(client.generateKey({ keyAlias: "same", teamId: "t", userId: "u" }), {
      kind: "conflict",
      reason: "alias_taken",
      status: 400,
    });
  });
});

describe("idempotent helpers: repeating gives the same state and no error", () => {
  const fx = useContractServer();

  it("ensureTeam twice: created, then already_exists; one team, one creation", async () => {
    const { client, server } = fx();
    expect(await client.ensureTeam({ teamId: "t", teamAlias: "T" })).toBe("created");
    const before = server.state.snapshot().teams;
    expect(await client.ensureTeam({ teamId: "t", teamAlias: "T" })).toBe("already_exists");
    expect(server.state.snapshot().teams).toEqual(before);
    const calls = server.state.requests.filter((r) => r.path === "/team/new");
    expect(calls.map((r) => r.status)).toEqual([200, 400]);
  });

  it("ensureTeamMembers twice: added, then already_members; same members", async () => {
    const { client, server } = fx();
    await client.ensureTeam({ teamId: "t", teamAlias: "T" });
    const members = [
      { userId: "u1", role: "user" as const },
      { userId: "u2", role: "user" as const },
    ];
    expect(await client.ensureTeamMembers({ teamId: "t", members })).toBe("added");
    const before = server.state.snapshot().teams;
    expect(await client.ensureTeamMembers({ teamId: "t", members })).toBe("already_members");
    expect(server.state.snapshot().teams).toEqual(before);
  });

  it("deleteKeysIdempotent twice: deleted, then already_gone; partial sets are fine", async () => {
    const { client, server } = fx();
    await client.ensureTeam({ teamId: "t", teamAlias: "T" });
    const a = await client.generateKey({ keyAlias: "a", teamId: "t", userId: "u" });
    const b = await client.generateKey({ keyAlias: "b", teamId: "t", userId: "u" });
    expect(await client.deleteKeysIdempotent({ keys: [a.token] })).toBe("deleted");
    expect(await client.deleteKeysIdempotent({ keys: [a.token, b.token] })).toBe("deleted");
    expect(await client.deleteKeysIdempotent({ keys: [a.token, b.token] })).toBe("already_gone");
    expect(await client.deleteKeysIdempotent({ keys: [] })).toBe("already_gone");
    expect(server.state.keys.size).toBe(0);
  });

  it("a merge-like sequence run twice ends in the same state with no duplicate effects", async () => {
    const { client, server } = fx();
    await client.ensureTeam({ teamId: "eu_src", teamAlias: "Src" });
    await client.ensureTeamMembers({ teamId: "eu_src", members: [{ userId: "u1", role: "user" }] });
    const moved = await client.generateKey({
      keyAlias: "eu_src/a",
      teamId: "eu_src",
      userId: "u1",
    });
    const doomed = await client.generateKey({
      keyAlias: "eu_src/b",
      teamId: "eu_src",
      userId: "u1",
    });

    const runMerge = async (): Promise<void> => {
      await client.ensureTeam({ teamId: "eu_dst", teamAlias: "Dst" });
      await client.ensureTeamMembers({
        teamId: "eu_dst",
        members: [{ userId: "u1", role: "user" }],
      });
      await client.updateKey({ key: moved.token, teamId: "eu_dst", keyAlias: "eu_dst/a" });
      await client.deleteKeysIdempotent({ keys: [doomed.token] });
    };
    await runMerge();
    const afterFirst = server.state.snapshot();
    await runMerge();
    const afterSecond = server.state.snapshot();
    expect({ ...afterSecond, requestCount: 0 }).toEqual({ ...afterFirst, requestCount: 0 });
    const successes = (path: string): number =>
      server.state.requests.filter((r) => r.path === path && r.status === 200).length;
    expect(successes("/team/new")).toBe(2); // eu_src once, eu_dst once
    expect(successes("/key/delete")).toBe(1);
  });
});

describe.each([
  { profile: "oss" as const, keysSurvive: false },
  { profile: "legacy" as const, keysSurvive: true },
])("/team/member_delete on the $profile profile", ({ profile, keysSurvive }) => {
  const fx = useContractServer({ profile });

  it(`takes the member off the team; their keys in it ${keysSurvive ? "stay" : "go with them"}, others' stay`, async () => {
    const { client, server } = fx();
    await client.ensureTeam({ teamId: "t", teamAlias: "T" });
    await client.ensureTeam({ teamId: "other", teamAlias: "O" });
    await client.ensureTeamMembers({
      teamId: "t",
      members: [
        { userId: "leaver", role: "user" },
        { userId: "stays", role: "user" },
      ],
    });
    await client.ensureTeamMembers({
      teamId: "other",
      members: [{ userId: "leaver", role: "user" }],
    });
    const theirs = await client.generateKey({ keyAlias: "t/a", teamId: "t", userId: "leaver" });
    const elsewhere = await client.generateKey({
      keyAlias: "o/a",
      teamId: "other",
      userId: "leaver",
    });
    const colleague = await client.generateKey({ keyAlias: "t/b", teamId: "t", userId: "stays" });

    expect(await client.removeTeamMemberIdempotent({ teamId: "t", userId: "leaver" })).toBe(
      "removed",
    );
    expect(server.state.isMember("t", "leaver")).toBe(false);
    expect(server.state.isMember("other", "leaver")).toBe(true);
    expect(server.state.getKey(theirs.token) !== undefined).toBe(keysSurvive);
    expect(server.state.getKey(elsewhere.token)).toBeDefined();
    expect(server.state.getKey(colleague.token)).toBeDefined();

    // Again, and on a team the proxy does not have: done, nothing to do.
    expect(await client.removeTeamMemberIdempotent({ teamId: "t", userId: "leaver" })).toBe(
      "not_member",
    );
    expect(await client.removeTeamMemberIdempotent({ teamId: "gone", userId: "leaver" })).toBe(
      "team_absent",
    );
    await expectLiteLLMError(client.removeTeamMember({ teamId: "t", userId: "leaver" }), {
      kind: "not_found",
      reason: "member_not_found",
      retryable: false,
    });
  });

  it("updateKey sets the key's owner (user_id)", async () => {
    const { client, server } = fx();
    await client.ensureTeam({ teamId: "t", teamAlias: "T" });
    const key = await client.generateKey({ keyAlias: "t/k", teamId: "t", userId: "before" });
    await client.updateKey({ key: key.token, userId: "after" });
    expect(server.state.getKey(key.token)?.userId).toBe("after");
    expect((await client.keyInfo(key.token)).userId).toBe("after");
  });
});

describe("idempotent helpers against the legacy LiteLLM profile", () => {
  const fx = useContractServer({ profile: "legacy" });

  it("ensureTeamMembers falls back to one by one when any duplicate fails the request", async () => {
    const { client, server } = fx();
    await client.ensureTeam({ teamId: "t", teamAlias: "T" });
    await client.ensureTeamMembers({ teamId: "t", members: [{ userId: "u1", role: "user" }] });
    const result = await client.ensureTeamMembers({
      teamId: "t",
      members: [
        { userId: "u1", role: "user" },
        { userId: "u2", role: "user" },
      ],
    });
    expect(result).toBe("added");
    expect([...(server.state.getTeam("t")?.members.keys() ?? [])]).toEqual([
      "default_user_id",
      "u1",
      "u2",
    ]);
    expect(
      await client.ensureTeamMembers({
        teamId: "t",
        members: [
          { userId: "u1", role: "user" },
          { userId: "u2", role: "user" },
        ],
      }),
    ).toBe("already_members");
  });

  it("deleteKeysIdempotent survives a proxy that refuses partial deletes", async () => {
    const { client, server } = fx();
    await client.ensureTeam({ teamId: "t", teamAlias: "T" });
    const a = await client.generateKey({ keyAlias: "a", teamId: "t", userId: "u" });
    const b = await client.generateKey({ keyAlias: "b", teamId: "t", userId: "u" });
    await client.deleteKeysIdempotent({ keys: [a.token] });
    expect(await client.deleteKeysIdempotent({ keys: [a.token, b.token] })).toBe("already_gone");
    expect(server.state.keys.size).toBe(0);
  });
});

describe.each([
  { transport: "node:http (default)", options: {} },
  { transport: "fetch", options: { fetch: globalThis.fetch } },
])("error kinds over $transport", ({ options }) => {
  const fx = useContractServer();

  it("down (connections destroyed) -> unavailable, retryable, no effect", async () => {
    const { server, makeClient } = fx();
    const client = makeClient(options);
    await server.faults.down();
    await expectLiteLLMError(client.createTeam({ teamId: "t", teamAlias: "T" }), {
      kind: "unavailable",
      reason: "connection_failed",
      retryable: true,
    });
    expect(server.state.teams.size).toBe(0);
    await server.faults.up();
    expect(await client.ensureTeam({ teamId: "t", teamAlias: "T" })).toBe("created");
  });

  it("down (connection refused) -> unavailable; back up on the same port", async () => {
    const { server, makeClient } = fx();
    const client = makeClient(options);
    await client.ensureTeam({ teamId: "t", teamAlias: "T" }); // leaves a pooled connection
    await server.faults.down({ mode: "refuse" });
    // The pooled socket may not be known dead yet: that call fails with a reset (it is not
    // retried automatically, since a POST may have reached the proxy). Either way: unavailable.
    await expectLiteLLMError(client.ensureTeam({ teamId: "t2", teamAlias: "T2" }), {
      kind: "unavailable",
      retryable: true,
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const error = await expectLiteLLMError(client.ensureTeam({ teamId: "t2", teamAlias: "T2" }), {
      kind: "unavailable",
      retryable: true,
    });
    expect(error.message).toContain("ECONNREFUSED");
    expect(server.state.teams.has("t2")).toBe(false);
    await server.faults.up();
    expect(await client.ensureTeam({ teamId: "t2", teamAlias: "T2" })).toBe("created");
  });

  it("no answer in time -> timeout, retryable; the late request still took effect", async () => {
    const { server, makeClient } = fx();
    const client = makeClient({ ...options, timeoutMs: 50 });
    server.faults.setLatency(250);
    await expectLiteLLMError(client.createTeam({ teamId: "t", teamAlias: "T" }), {
      kind: "timeout",
      reason: "timed_out",
      retryable: true,
    });
    await vi.waitFor(() => expect(server.state.teams.has("t")).toBe(true), { timeout: 2_000 });
    server.faults.setLatency(0);
    expect(await client.ensureTeam({ teamId: "t", teamAlias: "T" })).toBe("already_exists");
  });

  it.each([
    { status: 500, kind: "unavailable", reason: "server_error", retryable: true },
    { status: 502, kind: "unavailable", reason: "server_error", retryable: true },
    { status: 503, kind: "unavailable", reason: "server_error", retryable: true },
    { status: 429, kind: "unavailable", reason: "rate_limited", retryable: true },
    { status: 401, kind: "unauthorized", reason: "bad_master_key", retryable: false },
    { status: 400, kind: "rejected", reason: "invalid_request", retryable: false },
  ] as const)("fail-next $status -> $kind/$reason, then the retry succeeds", async (row) => {
    const { server, makeClient } = fx();
    const client = makeClient(options);
    server.faults.failNext(1, row.status);
    await expectLiteLLMError(client.createTeam({ teamId: "t", teamAlias: "T" }), {
      kind: row.kind,
      reason: row.reason,
      retryable: row.retryable,
      status: row.status,
    });
    expect(server.state.teams.size).toBe(0);
    expect(await client.ensureTeam({ teamId: "t", teamAlias: "T" })).toBe("created");
  });

  it("a base URL that is not LiteLLM's API -> protocol error, never 'already gone'", async () => {
    const { server } = fx();
    const client = new LiteLLMClient({
      ...options,
      baseUrl: `${server.url}/wrong-prefix`,
      masterKey: MASTER_KEY,
    });
    await expectLiteLLMError(client.deleteKeysIdempotent({ keys: [sha256("sk-x")] }), {
      kind: "protocol",
      reason: "route_not_found",
      status: 404,
    });
    client.close();
  });

  it("nothing listening at all -> unavailable", async () => {
    const { server } = fx();
    const url = server.url;
    await server.stop();
    const client = new LiteLLMClient({ ...options, baseUrl: url, masterKey: MASTER_KEY });
    await expectLiteLLMError(client.keyInfo("x"), {
      kind: "unavailable",
      reason: "connection_failed",
    });
    client.close();
  });
});

describe("client input checks (no request sent)", () => {
  const fx = useContractServer();

  it.each([
    ["empty team id", (c: LiteLLMClient) => c.createTeam({ teamId: "", teamAlias: "T" })],
    ["no members", (c: LiteLLMClient) => c.addTeamMembers({ teamId: "t", members: [] })],
    ["nothing to update", (c: LiteLLMClient) => c.updateKey({ key: "k" })],
    ["no keys", (c: LiteLLMClient) => c.deleteKeys({ keys: [] })],
    [
      "blank user",
      (c: LiteLLMClient) => c.generateKey({ keyAlias: "a", teamId: "t", userId: " " }),
    ],
  ])("%s -> rejected/invalid_request", async (_name, call) => {
    const { client, server } = fx();
    await expectLiteLLMError(call(client), {
      kind: "rejected",
      reason: "invalid_request",
      status: undefined,
    });
    expect(server.state.requests).toHaveLength(0);
  });

  it.each([
    [{ baseUrl: "not a url", masterKey: "k" }],
    [{ baseUrl: "ftp://host", masterKey: "k" }],
    [{ baseUrl: "http://host", masterKey: "" }],
    [{ baseUrl: "http://host", masterKey: "k", timeoutMs: 0 }],
  ])("constructor refuses %j", (options) => {
    expect(() => new LiteLLMClient(options)).toThrow(TypeError);
  });

  it("defaults the timeout to 10 s and strips a trailing slash", () => {
    const client = new LiteLLMClient({ baseUrl: "http://host:4000/", masterKey: "k" });
    expect(client.timeoutMs).toBe(10_000);
    expect(client.baseUrl).toBe("http://host:4000");
  });
});

describe("team admins, team update and delete (open-source vs Enterprise proxy)", () => {
  const oss = useContractServer();

  it("oss: a team admin is refused before anything else, as premium_feature (not a bad master key)", async () => {
    const { client, server } = oss();
    // No team either: the licence check comes first, as in team_call_validation_checks.
    const error = await expectLiteLLMError(
      client.addTeamMembers({ teamId: "nope", members: [{ userId: "u1", role: "admin" }] }),
      {
        kind: "rejected",
        reason: "premium_feature",
        status: 400,
      },
    );
    expect(error.litellmMessage).toMatch(/^Assigning team admins is a premium feature\. Got=/);
    expect(server.state.getTeam("nope")).toBeUndefined();
  });

  it("oss: member_add on a missing team is get_team_object's 404, read as team_not_found", async () => {
    const { client } = oss();
    await expectLiteLLMError(
      client.addTeamMembers({ teamId: "nope", members: [{ userId: "u1", role: "user" }] }),
      {
        kind: "not_found",
        reason: "team_not_found",
        status: 404,
      },
    );
  });

  it("updateTeamIdempotent sets the alias, and a missing team is team_absent", async () => {
    const { client, server } = oss();
    await client.ensureTeam({ teamId: "t", teamAlias: "Old" });
    expect(await client.updateTeamIdempotent({ teamId: "t", teamAlias: "New" })).toBe("updated");
    expect(server.state.getTeam("t")?.teamAlias).toBe("New");
    expect(await client.updateTeamIdempotent({ teamId: "gone", teamAlias: "X" })).toBe(
      "team_absent",
    );
  });

  it("updateTeamLimits, setTeamBlocked and setKeyBlocked reach the proxy; missing objects are not_found", async () => {
    const { client, server } = oss();
    await client.ensureTeam({ teamId: "t", teamAlias: "T" });
    await client.updateTeamLimits({
      teamId: "t",
      maxBudget: 9,
      budgetDuration: "30d",
      tpmLimit: 1,
      rpmLimit: 2,
      models: ["m"],
    });
    expect(server.state.getTeam("t")).toMatchObject({
      maxBudget: 9,
      budgetDuration: "30d",
      tpmLimit: 1,
      rpmLimit: 2,
      models: ["m"],
    });
    await client.setTeamBlocked("t", true);
    expect(server.state.getTeam("t")?.blocked).toBe(true);
    await client.setTeamBlocked("t", false);
    expect(server.state.getTeam("t")?.blocked).toBe(false);
    const key = await client.generateKey({ keyAlias: "a", teamId: "t", userId: "u" });
    await client.setKeyBlocked(key.key, true);
    expect(server.state.getKey(key.token)?.blocked).toBe(true);
    await expect(client.setTeamBlocked("gone", true)).rejects.toMatchObject({
      kind: "not_found",
      reason: "team_not_found",
    });
    await expect(
      client.updateTeamLimits({
        teamId: "gone",
        maxBudget: null,
        budgetDuration: null,
        tpmLimit: null,
        rpmLimit: null,
        models: [],
      }),
    ).rejects.toMatchObject({ reason: "team_not_found" });
    await expect(client.setKeyBlocked("nope", false)).rejects.toMatchObject({
      kind: "not_found",
      reason: "key_not_found",
    });
  });

  it("deleteTeamIdempotent deletes the team with its keys, then already_gone", async () => {
    const { client, server } = oss();
    await client.ensureTeam({ teamId: "t", teamAlias: "T" });
    await client.ensureTeam({ teamId: "other", teamAlias: "O" });
    await client.generateKey({ keyAlias: "a", teamId: "t", userId: "u" });
    const kept = await client.generateKey({ keyAlias: "b", teamId: "other", userId: "u" });
    expect(await client.deleteTeamIdempotent("t")).toBe("deleted");
    expect(server.state.getTeam("t")).toBeUndefined();
    expect([...server.state.keys.keys()]).toEqual([kept.token]);
    expect(await client.deleteTeamIdempotent("t")).toBe("already_gone");
  });

  describe("on an Enterprise proxy", () => {
    const fx = useContractServer({ profile: "enterprise" });

    it("ensureTeamMembers with some members already present adds only the new ones", async () => {
      const { client, server } = fx();
      await client.ensureTeam({ teamId: "t", teamAlias: "T" });
      await client.ensureTeamMembers({ teamId: "t", members: [{ userId: "u1", role: "admin" }] });
      const result = await client.ensureTeamMembers({
        teamId: "t",
        members: [
          { userId: "u1", role: "user" },
          { userId: "u2", role: "user" },
          { userId: "u2", role: "admin" }, // duplicate in the input: the stronger role wins
        ],
      });
      expect(result).toBe("added");
      const team = server.state.getTeam("t");
      expect(team?.members.get("u1")?.role).toBe("admin"); // existing member keeps their role
      expect(team?.members.get("u2")?.role).toBe("admin");
    });
  });
});
