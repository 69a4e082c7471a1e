/**
 * keys.create / list / delete end to end: HTTP API, real database, the LiteLLM contract
 * server over real HTTP and a real job worker. A key lives in two places (our row and the
 * region's proxy); these tests check it never lives in only one of them, and that the
 * secret is shown once and stored nowhere.
 */
import { litellmKeyAlias } from "@gatehouse/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { drainUntilDone, startHarness, type SyncHarness } from "../support/harness.ts";
import { type Credentials, type Out } from "../support/http.ts";
import * as fx from "../support/fixtures.ts";
import { findSecretLeaks } from "../support/router-walk.ts";

type Created = Out<"keys.create">;
type KeyPage = Out<"keys.list">;

let h: SyncHarness;
let orgId: string;
let teamId: string;
const users: Record<string, { id: string; creds: Credentials }> = {};

/** `<region name, spaces as _>_<team id>`, spelled out here so the format itself is tested. */
const identity = (teamUuid: string) => `eu_west_${teamUuid}`;

beforeAll(async () => {
  h = await startHarness({ litellm: true });
  orgId = await fx.insertOrganization(h.db, "Keys Org");
  teamId = await fx.insertTeam(h.db, { name: "Key Team", organizationId: orgId });
  for (const [name, role] of [
    ["teamAdmin", "ADMIN"],
    ["keyCreator", "KEY_CREATOR"],
    ["member", "MEMBER"],
    ["readOnly", "READ_ONLY"],
  ] as const) {
    users[name] = await fx.insertUserWithSession(h, { email: `${name.toLowerCase()}@keys.test` });
    await fx.addTeamMember(h.db, teamId, users[name].id, role);
  }
  users.orgAdmin = await fx.insertUserWithSession(h, { email: "orgadmin@keys.test" });
  await fx.addOrgMember(h.db, orgId, users.orgAdmin.id, "ORG_ADMIN");
  users.admin = await fx.insertUserWithSession(h, {
    email: "admin@keys.test",
    isSystemAdmin: true,
  });
});
afterAll(() => h?.close());
afterEach(async () => {
  await h.litellm.faults.reset();
});

const creds = (who: string): Credentials => users[who]!.creds;
const create = (name: string, who = "teamAdmin", regionId = h.region.id, team = teamId) =>
  h.mutation<Created>("keys.create", { teamId: team, name, regionId }, { credentials: creds(who) });
const rowsNamed = (name: string) => h.db.prisma.apiKey.findMany({ where: { name } });
const litellmKeysWithAlias = (alias: string) =>
  [...h.litellm.state.keys.values()].filter((k) => k.keyAlias === alias);

const drainWithRetries = () => drainUntilDone(h, 10);

describe("keys.create", () => {
  it("returns the secret once and creates the key on LiteLLM under the team identity", async () => {
    const res = await create("prod-backend");
    expect(res.status).toBe(200);
    const { key, secret } = res.data;
    expect(secret).toMatch(/^sk-/);
    expect(key).toMatchObject({
      name: "prod-backend",
      teamId,
      regionId: h.region.id,
      creator: { id: users.teamAdmin!.id },
    });
    expect(secret.startsWith(key.keyPrefix.replace("…", ""))).toBe(true);

    // LiteLLM: the key (stored by hash, like LiteLLM) in the team, with the team-scoped alias.
    const onProxy = h.litellm.state.getKey(secret);
    expect(onProxy).toMatchObject({
      teamId: identity(teamId),
      keyAlias: litellmKeyAlias(identity(teamId), "prod-backend"),
      userId: users.teamAdmin!.id,
      metadata: { gatehouse_key_id: key.id, gatehouse_team_id: teamId },
    });
    const team = h.litellm.state.getTeam(identity(teamId));
    expect(team?.teamAlias).toBe("Key Team");
    expect(team?.members.has(users.teamAdmin!.id)).toBe(true);
    // The row holds LiteLLM's key id (the hash), never the secret.
    const row = await h.db.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.litellmKeyId).toBe(onProxy!.token);
  });

  it("stores the secret in no column of any table, and keys.list never returns it", async () => {
    const { data } = await create("secret-check");
    const { secret } = data;
    // The random part alone, so a stored copy without the "sk-gh-" prefix is caught too.
    const body = secret.slice("sk-gh-".length);
    const { rows: tables } = await h.db.pool.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    expect(tables.length).toBeGreaterThan(5);
    for (const { table_name } of tables) {
      const { rows } = await h.db.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${table_name}" t WHERE t::text LIKE '%' || $1 || '%'`,
        [body],
      );
      expect(rows[0]!.n, `table ${table_name} holds the secret`).toBe(0);
    }

    for (const who of ["teamAdmin", "member", "admin", "orgAdmin"]) {
      const list = await h.query<KeyPage>("keys.list", { teamId }, { credentials: creds(who) });
      expect(list.status).toBe(200);
      expect(list.data.items.some((k) => k.id === data.key.id)).toBe(true);
      expect(findSecretLeaks(list.data, [secret, body])).toEqual([]);
    }
    const all = await h.queryOk<KeyPage>("keys.list", undefined, creds("admin"));
    expect(findSecretLeaks(all, [secret, body])).toEqual([]);
  });

  it("refuses a duplicate name with 409 and touches nothing on LiteLLM", async () => {
    await create("dup-name");
    const before = h.litellm.state.snapshot().requestCount;
    const again = await create("dup-name", "keyCreator");
    expect(again.status).toBe(409);
    expect(again.error?.data.code).toBe("CONFLICT");
    expect(await rowsNamed("dup-name")).toHaveLength(1);
    expect(h.litellm.state.snapshot().requestCount).toBe(before);
  });

  it("refuses a bad name with a 400 field error and writes nothing", async () => {
    const before = h.litellm.state.snapshot().requestCount;
    for (const name of [
      "",
      " leading-space-is-trimmed-but-bad-chars!",
      "-starts-with-dash",
      "x".repeat(65),
      "semi;colon",
    ]) {
      const res = await create(name);
      expect(res.status, name).toBe(400);
      expect(res.error?.data.fieldErrors?.name, name).toBeDefined();
    }
    expect(await h.db.prisma.apiKey.count({ where: { name: { startsWith: "-" } } })).toBe(0);
    expect(h.litellm.state.snapshot().requestCount).toBe(before);
  });

  it("refuses an inactive region with 412", async () => {
    const region = await fx.insertRegion(h.db, {
      name: "dormant",
      url: h.litellm.url,
      isActive: false,
    });
    const before = h.litellm.state.snapshot().requestCount;
    const res = await create("in-dormant", "teamAdmin", region.id);
    expect(res.status).toBe(412);
    expect(res.error?.data.code).toBe("PRECONDITION_FAILED");
    expect(await rowsNamed("in-dormant")).toHaveLength(0);
    expect(h.litellm.state.snapshot().requestCount).toBe(before);
  });

  it("fails with 503 and keeps no row when LiteLLM is down", async () => {
    await h.litellm.faults.down();
    const res = await create("while-down");
    expect(res.status).toBe(503);
    expect(res.error?.data.code).toBe("SERVICE_UNAVAILABLE");
    expect(await rowsNamed("while-down")).toHaveLength(0);
    await h.litellm.faults.up();
    // The safety-net delete queued for the proxy is harmless (the key never existed).
    await drainWithRetries();
    expect(litellmKeysWithAlias(litellmKeyAlias(identity(teamId), "while-down"))).toHaveLength(0);
    // The name is free again.
    expect((await create("while-down")).status).toBe(200);
  });

  it("fails with 503 and keeps no row when only /key/generate fails", async () => {
    h.litellm.faults.failNext(1, 503, { path: "/key/generate" });
    const res = await create("generate-fails");
    expect(res.status).toBe(503);
    expect(await rowsNamed("generate-fails")).toHaveLength(0);
    await drainWithRetries();
    expect(litellmKeysWithAlias(litellmKeyAlias(identity(teamId), "generate-fails"))).toHaveLength(
      0,
    );
  });

  it("lets a KEY_CREATOR and a team admin create keys, and refuses MEMBER, READ_ONLY and an org admin outside the team", async () => {
    expect((await create("by-key-creator", "keyCreator")).status).toBe(200);
    expect((await create("by-team-admin", "teamAdmin")).status).toBe(200);
    expect((await create("by-system-admin", "admin")).status).toBe(200);
    const before = h.litellm.state.snapshot().requestCount;
    for (const who of ["member", "readOnly", "orgAdmin"]) {
      const res = await create(`by-${who}`, who);
      expect(res.status, who).toBe(403);
      expect(await rowsNamed(`by-${who}`)).toHaveLength(0);
    }
    expect(h.litellm.state.snapshot().requestCount).toBe(before);
    const anonymous = await h.mutation("keys.create", {
      teamId,
      name: "anon",
      regionId: h.region.id,
    });
    expect(anonymous.status).toBe(401);
  });

  it("lets an admin service token create a key, owned on LiteLLM by the token", async () => {
    const bearer = await fx.insertServiceToken(h.db, { admin: true });
    const res = await h.mutation<Created>(
      "keys.create",
      { teamId, name: "by-service", regionId: h.region.id },
      { credentials: { bearer } },
    );
    expect(res.status).toBe(200);
    expect(res.data.key.creator).toBeNull();
    expect(h.litellm.state.getKey(res.data.secret)?.userId).toMatch(/^gatehouse-service-/);
  });
});

describe("keys.delete", () => {
  it("removes the row at once and the LiteLLM key through the worker, idempotently", async () => {
    const { data } = await create("to-delete");
    const token = h.litellm.state.getKey(data.secret)!.token;
    const res = await h.mutation(
      "keys.delete",
      { keyId: data.key.id },
      { credentials: creds("keyCreator") },
    );
    expect(res.status).toBe(200);
    expect(await h.db.prisma.apiKey.findUnique({ where: { id: data.key.id } })).toBeNull();
    await h.drain();
    expect(h.litellm.state.keys.has(token)).toBe(false);
    const job = await h.db.prisma.job.findFirstOrThrow({
      where: { apiKeyId: data.key.id, kind: "litellm.deleteKey" },
    });
    expect(job.status).toBe("DONE");

    // Deleting again through the API: the row is gone.
    const again = await h.mutation(
      "keys.delete",
      { keyId: data.key.id },
      { credentials: creds("keyCreator") },
    );
    expect(again.status).toBe(404);
    // The job running again (a worker that died after the call, before recording it) is
    // harmless: LiteLLM's "not found" counts as done.
    await h.db.pool.query(`UPDATE jobs SET status = 'PENDING', run_at = now() WHERE id = $1`, [
      job.id,
    ]);
    await h.drain();
    const rerun = await h.db.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(rerun).toMatchObject({ status: "DONE", lastError: null });
    expect(rerun.attempts).toBe(job.attempts + 1);
  });

  it("keeps retrying the LiteLLM delete while the proxy is down, then converges", async () => {
    const { data } = await create("delete-while-down");
    const token = h.litellm.state.getKey(data.secret)!.token;
    await h.litellm.faults.down();
    expect(
      (await h.mutation("keys.delete", { keyId: data.key.id }, { credentials: creds("teamAdmin") }))
        .status,
    ).toBe(200);
    await h.drain();
    const failing = await h.db.prisma.job.findFirstOrThrow({ where: { apiKeyId: data.key.id } });
    expect(failing).toMatchObject({ status: "PENDING", attempts: 1 });
    expect(failing.lastError).toMatch(/unavailable/);
    const list = await h.queryOk<KeyPage>("keys.list", { teamId }, creds("teamAdmin"));
    expect(list.items.some((k) => k.id === data.key.id)).toBe(false);
    expect(h.litellm.state.keys.has(token)).toBe(true);
    await h.litellm.faults.up();
    await drainWithRetries();
    expect(h.litellm.state.keys.has(token)).toBe(false);
  });

  it("refuses members who may not manage keys", async () => {
    const { data } = await create("protected");
    for (const who of ["member", "readOnly", "orgAdmin"]) {
      const res = await h.mutation(
        "keys.delete",
        { keyId: data.key.id },
        { credentials: creds(who) },
      );
      expect(res.status, who).toBe(403);
    }
    expect(await h.db.prisma.apiKey.findUnique({ where: { id: data.key.id } })).not.toBeNull();
    expect(h.litellm.state.getKey(data.secret)).toBeDefined();
  });
});
