/**
 * Keys with their own limits and lifetime, end to end: a key's budget, period, rate limits,
 * models and expiry reach its proxy (two regions, two contract servers over real HTTP); a
 * limit above the team's is refused naming the product; a product's key defaults and
 * lifetime cap apply; expiry blocks the key on its proxy (the sweep, on the test's clock)
 * and keys.extend lifts it; a member's budget inside the team reaches every proxy and
 * LiteLLM enforces it. `/key/regenerate` (Enterprise) is never called.
 */
import { litellmTeamId } from "@gatehouse/core";
import { LiteLLMClient } from "@gatehouse/litellm";
import type { ContractServer } from "@gatehouse/litellm/contract-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, sweepOnDemand, type SyncHarness } from "../support/harness.ts";
import { type Credentials, type Out } from "../support/http.ts";
import * as fx from "../support/fixtures.ts";

const DAY = 86_400_000;

let h: SyncHarness;
let second: ContractServer;
let region2: { id: string; name: string };
let root: Credentials;
let teamAdmin: { id: string; creds: Credentials };
let teamId: string;
let seq = 0;
/**
 * The sweep's clock (the worker's), moved by the tests; the API's stays put (sessions and
 * the products' renewal periods run on it).
 */
let sweepNow: Date | null = null;

const clientOf = (server: ContractServer) =>
  new LiteLLMClient({ baseUrl: server.url, masterKey: fx.LITELLM_MASTER_KEY });

beforeAll(async () => {
  h = await startHarness({
    litellm: { worker: sweepOnDemand(() => sweepNow ?? h.clock.now(), { extraGraceDays: 0 }) },
  });
  ({ litellm: second, region: region2 } = await h.addRegion("us east"));
  root = (await fx.insertUserWithSession(h, { email: "root@limits.test", isSystemAdmin: true }))
    .creds;
  teamAdmin = await fx.insertUserWithSession(h, { email: "admin@limits.test" });
  teamId = await fx.insertTeam(h.db, { name: "Limited", organizationId: null });
  await fx.addTeamMember(h.db, teamId, teamAdmin.id, "ADMIN");
  const product = await h.mutationOk<Out<"products.create">>(
    "products.create",
    {
      name: "Pro",
      limits: {
        maxBudgetUsd: 50,
        budgetDuration: "30d",
        rpmLimit: 100,
        models: ["small", "large"],
        keyDefaults: { tpmLimit: 500 },
        keyMaxLifetimeDays: 90,
      },
    },
    root,
  );
  await h.mutationOk("products.attach", { teamId, productId: product.id }, root);
  await h.converge();
});
afterAll(() => h?.close());

const createKey = (input: Record<string, unknown>, regionId = h.region.id) =>
  h.mutation<Out<"keys.create">>(
    "keys.create",
    { teamId, name: `key ${++seq}`, regionId, ...input },
    { credentials: teamAdmin.creds },
  );

describe("key limits", () => {
  it("a key with every limit reaches its proxy in each region; an update follows", async () => {
    const expiresAt = new Date(h.clock.now().getTime() + 10 * DAY);
    const limits = {
      maxBudgetUsd: 20,
      budgetDuration: "30d",
      rpmLimit: 10,
      tpmLimit: 1000,
      models: ["small"],
    };
    for (const [regionId, server] of [
      [h.region.id, h.litellm],
      [region2.id, second],
    ] as const) {
      const created = await createKey({ ...limits, expiresAt: expiresAt.toISOString() }, regionId);
      expect(created.status).toBe(200);
      expect(created.data.key.limits).toMatchObject({ ...limits, defaulted: [] });
      expect(created.data.key.expiresAt).toBe(expiresAt.toISOString());
      const info = await clientOf(server).keyInfo(created.data.secret);
      expect(info).toMatchObject({
        maxBudgetUsd: 20,
        budgetDuration: "30d",
        rpmLimit: 10,
        tpmLimit: 1000,
        models: ["small"],
      });
      expect(new Date(info.expiresAt!).getTime()).toBeGreaterThanOrEqual(expiresAt.getTime());

      const updated = await h.mutationOk<Out<"keys.update">>(
        "keys.update",
        { keyId: created.data.key.id, limits: { rpmLimit: 20, maxBudgetUsd: null } },
        teamAdmin.creds,
      );
      expect(updated.limits).toMatchObject({ rpmLimit: 20, maxBudgetUsd: null, tpmLimit: 1000 });
      await h.converge();
      expect(await clientOf(server).keyInfo(created.data.secret)).toMatchObject({
        rpmLimit: 20,
        maxBudgetUsd: null,
        tpmLimit: 1000,
      });
    }
  });

  it("a limit above the team's is refused naming the product, and nothing is kept", async () => {
    const before = await h.queryOk<Out<"keys.list">>("keys.list", { teamId }, root);
    for (const [input, field] of [
      [{ maxBudgetUsd: 60 }, "maxBudgetUsd"],
      [{ rpmLimit: 1000 }, "rpmLimit"],
      [{ models: ["huge"] }, "models"],
    ] as const) {
      const res = await createKey(input);
      expect(res.status).toBe(400);
      expect(res.error?.message).toContain("product Pro");
      expect((res.error?.data as { details?: { field?: string } }).details?.field).toBe(field);
    }
    expect((await createKey({ maxBudgetUsd: 60 })).error?.message).toBe(
      "maxBudgetUsd is capped at $50 by product Pro",
    );
    const after = await h.queryOk<Out<"keys.list">>("keys.list", { teamId }, root);
    expect(after.total).toBe(before.total);
  });

  it("the product's key defaults and lifetime cap apply; beyond the cap is a field error", async () => {
    const created = await createKey({});
    expect(created.status).toBe(200);
    const now = h.clock.now().getTime();
    expect(new Date(created.data.key.expiresAt!).getTime()).toBe(now + 90 * DAY);
    expect(created.data.key.limits).toMatchObject({ tpmLimit: 500, defaulted: ["tpmLimit"] });
    expect(await clientOf(h.litellm).keyInfo(created.data.secret)).toMatchObject({
      tpmLimit: 500,
    });
    const detail = await h.queryOk<Out<"keys.get">>(
      "keys.get",
      { keyId: created.data.key.id },
      teamAdmin.creds,
    );
    const source = (f: string) => detail.limitsInForce.find((l) => l.field === f)?.source;
    expect(source("tpmLimit")).toEqual({ kind: "product", productName: "Pro" });
    expect(source("maxBudgetUsd")).toEqual({ kind: "team", from: "product Pro" });
    expect(detail.maxLifetimeDays).toBe(90);
    expect(detail.budget.maxBudgetUsd).toBe(50);

    const tooLong = await createKey({ expiresAt: new Date(now + 100 * DAY).toISOString() });
    expect(tooLong.status).toBe(400);
    expect(tooLong.error?.message).toBe("keys live at most 90 days under product Pro");
    const both = await createKey({ lifetimeDays: 5, expiresAt: new Date(now + DAY).toISOString() });
    expect(both.status).toBe(400);
  });

  it("expiry blocks the key on its proxy; extend lifts it within the cap", async () => {
    const created = await createKey({ lifetimeDays: 1 });
    expect(created.status).toBe(200);
    const { key, secret } = created.data;
    await h.converge();
    const proxy = clientOf(h.litellm);
    expect(await proxy.checkKey(secret)).toEqual({ usable: true });

    try {
      sweepNow = new Date(h.clock.now().getTime() + 2 * DAY);
      await h.worker.enforceDue();
      await h.converge();
      expect(await proxy.checkKey(secret)).toEqual({ usable: false, reason: "blocked" });
      const blocked = await h.queryOk<Out<"keys.get">>("keys.get", { keyId: key.id }, root);
      expect(blocked.blockReasons).toEqual(["key_expired"]);

      const beyond = await h.mutation(
        "keys.extend",
        {
          keyId: key.id,
          expiresAt: new Date(h.clock.now().getTime() + 91 * DAY).toISOString(),
        },
        { credentials: teamAdmin.creds },
      );
      expect(beyond.status).toBe(400);

      const extended = await h.mutationOk<Out<"keys.extend">>(
        "keys.extend",
        { keyId: key.id, expiresAt: new Date(h.clock.now().getTime() + 30 * DAY).toISOString() },
        teamAdmin.creds,
      );
      expect(extended.blockReasons).toEqual([]);
      await h.converge();
      expect(await proxy.checkKey(secret)).toEqual({ usable: true });
      // The sweep does not block it again.
      await h.worker.enforceDue();
      await h.converge();
      expect(await proxy.checkKey(secret)).toEqual({ usable: true });
    } finally {
      sweepNow = null;
    }
  });

  it("keys without an expiry never expire", async () => {
    // A team without products: no lifetime cap.
    const free = await fx.insertTeam(h.db, { name: "Free", organizationId: null });
    await fx.addTeamMember(h.db, free, teamAdmin.id, "ADMIN");
    const created = await h.mutationOk<Out<"keys.create">>(
      "keys.create",
      { teamId: free, name: "forever", regionId: h.region.id },
      teamAdmin.creds,
    );
    expect(created.key.expiresAt).toBeNull();
    try {
      // Past the other keys' lifetimes but within the products' renewal.
      sweepNow = new Date(h.clock.now().getTime() + 50 * DAY);
      await h.worker.enforceDue();
      await h.converge();
      const detail = await h.queryOk<Out<"keys.get">>("keys.get", { keyId: created.key.id }, root);
      expect(detail.blockReasons).toEqual([]);
    } finally {
      sweepNow = null;
    }
  });
});

describe("member budgets", () => {
  it("a member's budget reaches every region's proxy and LiteLLM enforces it", async () => {
    const member = await fx.insertUserWithSession(h, { email: "spender@limits.test" });
    await fx.addTeamMember(h.db, teamId, member.id, "KEY_CREATOR");
    const secrets: Array<[ContractServer, string, string]> = [];
    for (const [regionId, server, region] of [
      [h.region.id, h.litellm, h.region],
      [region2.id, second, region2],
    ] as const) {
      const created = await h.mutationOk<Out<"keys.create">>(
        "keys.create",
        { teamId, name: `spender ${region.name}`, regionId },
        member.creds,
      );
      secrets.push([server, created.secret, litellmTeamId(region.name, teamId)]);
    }
    await h.mutationOk(
      "teams.setMemberBudget",
      { teamId, userId: member.id, maxBudgetUsd: 5 },
      teamAdmin.creds,
    );
    await h.converge();
    for (const [server, secret, proxyTeam] of secrets) {
      const budgets = await clientOf(server).teamMemberBudgets(proxyTeam);
      expect(budgets.find((b) => b.userId === member.id)).toMatchObject({ maxBudgetInTeam: 5 });
      expect(await clientOf(server).checkKey(secret)).toEqual({ usable: true });
      expect(server.state.setMemberSpend(proxyTeam, member.id, 6)).toBe(true);
      expect(await clientOf(server).checkKey(secret)).toEqual({
        usable: false,
        reason: "over_budget",
      });
    }
    const team = await h.queryOk<Out<"teams.get">>("teams.get", { teamId }, root);
    expect(team.members.find((m) => m.userId === member.id)?.maxBudgetUsd).toBe(5);

    await h.mutationOk(
      "teams.setMemberBudget",
      { teamId, userId: member.id, maxBudgetUsd: null },
      teamAdmin.creds,
    );
    await h.converge();
    for (const [server, secret] of secrets) {
      expect(await clientOf(server).checkKey(secret)).toEqual({ usable: true });
    }

    // A member of another team is not this team's to budget.
    const outsider = await fx.insertUser(h.db, { email: "outsider@limits.test" });
    const res = await h.mutation(
      "teams.setMemberBudget",
      { teamId, userId: outsider, maxBudgetUsd: 1 },
      { credentials: teamAdmin.creds },
    );
    expect(res.status).toBe(404);
  });

  it("never calls LiteLLM's Enterprise /key/regenerate", () => {
    expect(h.litellm.state.regenerateCalls).toBe(0);
    expect(second.state.regenerateCalls).toBe(0);
  });
});
