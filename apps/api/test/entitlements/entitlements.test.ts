/**
 * Entitlements end to end: products' limits reach every region's LiteLLM team, maxKeys holds
 * under concurrency, blocks (manual, expired, owner disabled) reach the proxies and are
 * independent, and everything converges after LiteLLM was down. HTTP API, real database,
 * two LiteLLM contract servers (`oss`) over real HTTP, a real worker.
 */
import type { ContractServer } from "@gatehouse/litellm/contract-server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startHarness, sweepOnDemand, type SyncHarness } from "../support/harness.ts";
import { type Credentials, type Out } from "../support/http.ts";
import * as fx from "../support/fixtures.ts";

const DEFAULT = {
  maxBudgetUsd: 5,
  budgetDuration: "30d",
  rpmLimit: 10,
  tpmLimit: 1000,
  models: ["trial-model"],
};

let h: SyncHarness;
let second: ContractServer;
let region2: { id: string; name: string };
let admin: Credentials;
let productSeq = 0;
/** The sweep's clock (the worker's), moved by the tests. */
let sweepNow = new Date();
const daysBefore = (days: number) => new Date(sweepNow.getTime() - days * 86_400_000);

beforeAll(async () => {
  h = await startHarness({
    env: { GATEHOUSE_DEFAULT_ENTITLEMENT: JSON.stringify(DEFAULT) },
    litellm: { worker: sweepOnDemand(() => sweepNow, { extraGraceDays: 2 }) },
  });
  ({ litellm: second, region: region2 } = await h.addRegion("us east"));
  admin = (await fx.insertUserWithSession(h, { email: "admin@ent.test", isSystemAdmin: true }))
    .creds;
});
afterAll(() => h?.close());
afterEach(() => h.resetFaults());

const proxies = () => [
  { server: h.litellm, prefix: "eu_west" },
  { server: second, prefix: "us_east" },
];

async function teamInfo(
  server: ContractServer,
  litellmTeamId: string,
): Promise<Record<string, unknown> | null> {
  const res = await fetch(`${server.url}/team/info?team_id=${encodeURIComponent(litellmTeamId)}`, {
    headers: { authorization: `Bearer ${fx.LITELLM_MASTER_KEY}` },
  });
  if (res.status === 404) return null;
  const body = (await res.json()) as { team_info: Record<string, unknown> };
  return body.team_info;
}

async function keyBlockedOnProxy(server: ContractServer, secret: string): Promise<unknown> {
  const res = await fetch(`${server.url}/key/info?key=${encodeURIComponent(secret)}`, {
    headers: { authorization: `Bearer ${fx.LITELLM_MASTER_KEY}` },
  });
  const body = (await res.json()) as { info: { blocked: unknown } };
  return body.info.blocked;
}

async function createProduct(limits: Record<string, unknown>): Promise<string> {
  const product = await h.mutationOk<Out<"products.create">>(
    "products.create",
    { name: `P${++productSeq}`, limits },
    admin,
  );
  return product.id;
}

async function newTeam(name: string): Promise<string> {
  return fx.insertTeam(h.db, { name, organizationId: null });
}

const createKey = (teamId: string, name: string, regionId = h.region.id, creds = admin) =>
  h.mutation<Out<"keys.create">>("keys.create", { teamId, name, regionId }, { credentials: creds });

const proxyTeamBlocked = async (server: ContractServer, id: string) =>
  (await teamInfo(server, id))?.blocked;

describe("entitlements reach every region", () => {
  it("attaching a product with every limit set pushes it to each region's team; detaching restores the default", async () => {
    const teamId = await newTeam("Entitled");
    const productId = await createProduct({
      maxKeys: 10,
      maxBudgetUsd: 250.5,
      budgetDuration: "1mo",
      rpmLimit: 600,
      tpmLimit: 90_000,
      models: ["gpt-4o", "claude-sonnet"],
    });
    await h.mutationOk("products.attach", { teamId, productId }, admin);
    await h.converge();
    for (const { server, prefix } of proxies()) {
      expect(await teamInfo(server, `${prefix}_${teamId}`)).toMatchObject({
        max_budget: 250.5,
        budget_duration: "1mo",
        rpm_limit: 600,
        tpm_limit: 90_000,
        models: ["claude-sonnet", "gpt-4o"],
      });
    }
    const team = await h.queryOk<Out<"teams.get">>("teams.get", { teamId }, admin);
    expect(team.entitlement).toMatchObject({
      maxKeys: 10,
      maxBudgetUsd: 250.5,
      budgetScope: "per_region",
    });
    expect((team.entitlement.sources as Record<string, unknown>).maxKeys).toEqual({
      productId,
      productName: `P${productSeq}`,
    });

    await h.mutationOk("products.detach", { teamId, productId }, admin);
    await h.converge();
    for (const { server, prefix } of proxies()) {
      expect(await teamInfo(server, `${prefix}_${teamId}`)).toMatchObject({
        max_budget: 5,
        budget_duration: "30d",
        rpm_limit: 10,
        tpm_limit: 1000,
        models: ["trial-model"],
      });
    }
  });

  it("editing a product's limits pushes them to every team holding it", async () => {
    const teamId = await newTeam("Edited");
    const productId = await createProduct({ rpmLimit: 1 });
    await h.mutationOk("products.attach", { teamId, productId }, admin);
    await h.converge();
    const updated = await h.mutationOk<Out<"products.update">>(
      "products.update",
      { productId, limits: { rpmLimit: 77, maxBudgetUsd: 3, budgetDuration: "7d" } },
      admin,
    );
    expect(updated.limits).toEqual({
      maxKeys: null,
      maxBudgetUsd: 3,
      budgetDuration: "7d",
      rpmLimit: 77,
      tpmLimit: null,
      models: [],
    });
    await h.converge();
    for (const { server, prefix } of proxies()) {
      expect(await teamInfo(server, `${prefix}_${teamId}`)).toMatchObject({
        rpm_limit: 77,
        max_budget: 3,
        models: [],
      });
    }
  });

  it("refuses invalid limits field by field", async () => {
    const res = await h.mutation(
      "products.create",
      { name: "Bad", limits: { budgetDuration: "soon", maxKeys: -1 } },
      { credentials: admin },
    );
    expect(res.status).toBe(400);
    expect(Object.keys(res.error?.data.fieldErrors ?? {}).sort()).toEqual([
      "limits.budgetDuration",
      "limits.maxKeys",
    ]);
  });
});

describe("maxKeys", () => {
  it("refuses a third key under maxKeys 2, counting every region", async () => {
    const teamId = await newTeam("Two keys");
    const productId = await createProduct({ maxKeys: 2 });
    await h.mutationOk("products.attach", { teamId, productId }, admin);
    expect((await createKey(teamId, "one", h.region.id)).status).toBe(200);
    expect((await createKey(teamId, "two", region2.id)).status).toBe(200);
    const third = await createKey(teamId, "three", h.region.id);
    expect(third.status).toBe(412);
    expect(third.error?.data.code).toBe("PRECONDITION_FAILED");
    expect(third.error?.message).toMatch(/limit of 2 keys \(maxKeys/);
    expect(await h.db.prisma.apiKey.count({ where: { teamId } })).toBe(2);
  });

  it("two concurrent creates at the limit: exactly one wins", async () => {
    const teamId = await newTeam("Race");
    const productId = await createProduct({ maxKeys: 1 });
    await h.mutationOk("products.attach", { teamId, productId }, admin);
    const results = await Promise.all([
      createKey(teamId, "a"),
      createKey(teamId, "b"),
      createKey(teamId, "c"),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 412, 412]);
    expect(await h.db.prisma.apiKey.count({ where: { teamId } })).toBe(1);
  });
});

describe("blocks", () => {
  it("teams.block / unblock reach every region's proxy and show on teams.get and teams.list", async () => {
    const teamId = await newTeam("Blockable");
    expect((await createKey(teamId, "k1", h.region.id)).status).toBe(200);
    expect((await createKey(teamId, "k2", region2.id)).status).toBe(200);
    await h.converge();
    const blocked = await h.mutationOk<Out<"teams.block">>(
      "teams.block",
      { teamId, reason: "abuse report 42" },
      admin,
    );
    expect(blocked).toMatchObject({
      blocked: true,
      blockReasons: [{ reason: "manual", note: "abuse report 42" }],
    });
    await h.converge();
    for (const { server, prefix } of proxies())
      expect(await proxyTeamBlocked(server, `${prefix}_${teamId}`)).toBe(true);
    const got = await h.queryOk<Out<"teams.get">>("teams.get", { teamId }, admin);
    expect(got.blocked).toBe(true);
    const list = await h.queryOk<Out<"teams.list">>(
      "teams.list",
      { blocked: true, pageSize: 100 },
      admin,
    );
    expect(list.items.find((t) => t.id === teamId)?.blocked).toBe(true);
    // Keys cannot be created in a blocked team.
    expect((await createKey(teamId, "k3")).status).toBe(412);

    await h.mutationOk("teams.unblock", { teamId }, admin);
    await h.converge();
    for (const { server, prefix } of proxies())
      expect(await proxyTeamBlocked(server, `${prefix}_${teamId}`)).toBe(false);
    const unblockedList = await h.queryOk<Out<"teams.list">>(
      "teams.list",
      { blocked: true, pageSize: 100 },
      admin,
    );
    expect(unblockedList.items.some((t) => t.id === teamId)).toBe(false);
  });

  it("keys.block / unblock reach the proxy and show on keys.list", async () => {
    const teamId = await newTeam("Key blocks");
    const { key, secret } = (await createKey(teamId, "kb")).data;
    await h.converge();
    expect(await h.mutationOk("keys.block", { keyId: key.id }, admin)).toMatchObject({
      blocked: true,
      blockReasons: ["manual"],
      manualBlock: { level: "system", note: null },
      canUnblock: true,
    });
    await h.converge();
    expect(await keyBlockedOnProxy(h.litellm, secret)).toBe(true);
    const page = await h.queryOk<Out<"keys.list">>("keys.list", { teamId }, admin);
    expect(page.items.find((k) => k.id === key.id)).toMatchObject({
      blocked: true,
      blockReasons: ["manual"],
    });
    await h.mutationOk("keys.unblock", { keyId: key.id }, admin);
    await h.converge();
    expect(await keyBlockedOnProxy(h.litellm, secret)).toBe(false);
  });

  it("the sweep blocks a team unpaid for longer than the grace; recording a payment unblocks it at once", async () => {
    const teamId = await newTeam("Unpaid");
    expect((await createKey(teamId, "u1")).status).toBe(200);
    // 30 days of expiry grace + 2 extra: 31 days unpaid is expired but not yet blocked.
    await h.db.prisma.team.update({
      where: { id: teamId },
      data: { lastPaymentAt: daysBefore(31) },
    });
    await h.worker.enforceDue();
    await h.converge();
    expect(await proxyTeamBlocked(h.litellm, `eu_west_${teamId}`)).toBe(false);

    // Two days later the team crosses the cutoff: the next round blocks it.
    sweepNow = new Date(sweepNow.getTime() + 2 * 86_400_000);
    await h.worker.enforceDue();
    await h.converge();
    expect(await proxyTeamBlocked(h.litellm, `eu_west_${teamId}`)).toBe(true);
    const got = await h.queryOk<Out<"teams.get">>("teams.get", { teamId }, admin);
    expect(got.blockReasons.map((r) => r.reason)).toEqual(["expired"]);
    // Audited by the sweep's own transaction, one event for the team.
    expect(
      await h.db.prisma.auditEvent.count({ where: { targetId: teamId, action: "team.block" } }),
    ).toBe(1);

    await h.mutationOk("teams.update", { teamId, lastPaymentAt: new Date().toISOString() }, admin);
    await h.converge();
    expect(await proxyTeamBlocked(h.litellm, `eu_west_${teamId}`)).toBe(false);
    expect(await h.db.prisma.teamBlock.count({ where: { teamId } })).toBe(0);
  });

  it("manual and expired are independent: both must be lifted", async () => {
    const teamId = await newTeam("Both");
    expect((await createKey(teamId, "b1")).status).toBe(200);
    // A payment date moved back past the grace blocks at once (no need to wait for a round).
    await h.mutationOk(
      "teams.update",
      { teamId, lastPaymentAt: daysBefore(60).toISOString() },
      admin,
    );
    await h.mutationOk("teams.block", { teamId }, admin);
    await h.converge();
    expect(await proxyTeamBlocked(h.litellm, `eu_west_${teamId}`)).toBe(true);
    const both = await h.queryOk<Out<"teams.get">>("teams.get", { teamId }, admin);
    expect(both.blockReasons.map((r) => r.reason).sort()).toEqual(["expired", "manual"]);

    await h.mutationOk("teams.update", { teamId, lastPaymentAt: new Date().toISOString() }, admin);
    await h.worker.enforceDue();
    await h.converge();
    // Paid, but still blocked by hand.
    expect(await proxyTeamBlocked(h.litellm, `eu_west_${teamId}`)).toBe(true);
    const got = await h.queryOk<Out<"teams.get">>("teams.get", { teamId }, admin);
    expect(got.blockReasons.map((r) => r.reason)).toEqual(["manual"]);

    // Unpaid again and unblocked by hand: the expired reason still holds it.
    await h.mutationOk(
      "teams.update",
      { teamId, lastPaymentAt: daysBefore(60).toISOString() },
      admin,
    );
    await h.mutationOk("teams.unblock", { teamId }, admin);
    await h.worker.enforceDue();
    await h.converge();
    expect(await proxyTeamBlocked(h.litellm, `eu_west_${teamId}`)).toBe(true);

    // An active product ends expiry at once; detaching it starts it again.
    const productId = await createProduct({});
    await h.mutationOk("products.attach", { teamId, productId }, admin);
    await h.converge();
    expect(await proxyTeamBlocked(h.litellm, `eu_west_${teamId}`)).toBe(false);
    await h.mutationOk("products.detach", { teamId, productId }, admin);
    await h.converge();
    expect(await proxyTeamBlocked(h.litellm, `eu_west_${teamId}`)).toBe(true);
  });

  it("disabling a key's creator blocks the key on the proxy; enabling unblocks it unless blocked by hand", async () => {
    const teamId = await newTeam("Owner");
    const owner = await fx.insertUserWithSession(h, { email: "owner@ent.test" });
    await fx.addTeamMember(h.db, teamId, owner.id, "ADMIN");
    const first = (await createKey(teamId, "o1", h.region.id, owner.creds)).data;
    const second_ = (await createKey(teamId, "o2", h.region.id, owner.creds)).data;
    await h.mutationOk("keys.block", { keyId: second_.key.id }, admin);
    await h.mutationOk("users.update", { userId: owner.id, isActive: false }, admin);
    await h.converge();
    expect(await keyBlockedOnProxy(h.litellm, first.secret)).toBe(true);
    const page = await h.queryOk<Out<"keys.list">>("keys.list", { teamId }, admin);
    expect(page.items.find((k) => k.id === first.key.id)?.blockReasons).toEqual(["owner_disabled"]);
    expect(page.items.find((k) => k.id === second_.key.id)?.blockReasons).toEqual([
      "manual",
      "owner_disabled",
    ]);

    await h.mutationOk("users.update", { userId: owner.id, isActive: true }, admin);
    await h.converge();
    expect(await keyBlockedOnProxy(h.litellm, first.secret)).toBe(false);
    expect(await keyBlockedOnProxy(h.litellm, second_.secret)).toBe(true);
  });
});

describe("LiteLLM down", () => {
  it("entitlement, block and key-block changes made while a proxy is down converge when it is back", async () => {
    const teamId = await newTeam("Outage");
    const { key, secret } = (await createKey(teamId, "d1")).data;
    await h.converge();
    await h.litellm.faults.down();
    const productId = await createProduct({ rpmLimit: 321 });
    await h.mutationOk("products.attach", { teamId, productId }, admin);
    await h.mutationOk("teams.block", { teamId }, admin);
    await h.mutationOk("keys.block", { keyId: key.id }, admin);
    await h.drain();
    const failing = await h.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM jobs WHERE status = 'PENDING' AND last_error IS NOT NULL`,
    );
    expect(failing.rows[0]!.n).toBeGreaterThan(0);
    await h.litellm.faults.up();
    await h.converge();
    expect(await teamInfo(h.litellm, `eu_west_${teamId}`)).toMatchObject({
      rpm_limit: 321,
      blocked: true,
    });
    expect(await keyBlockedOnProxy(h.litellm, secret)).toBe(true);
    // The other region was never down: it has the same state.
    expect(await teamInfo(second, `us_east_${teamId}`)).toMatchObject({ rpm_limit: 321 });
  });
});
