/**
 * The demo a newcomer starts (`npm start`): the seed queues the same entitlement and block
 * pushes as the API would, so the demo region's proxy carries every demo team's
 * entitlement and reconciliation finds the region in step, limits included. Real database,
 * the LiteLLM contract server over real HTTP, the real worker.
 */
import { litellmTeamId } from "@gatehouse/core";
import { loadTeamEntitlement } from "@gatehouse/db";
import { seedDemo } from "@gatehouse/db/data";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rehydrateDemoLiteLLM } from "../../src/demo.ts";
import { startHarness, type SyncHarness } from "../support/harness.ts";
import { type Out } from "../support/http.ts";
import { insertUserWithSession, LITELLM_MASTER_KEY } from "../support/fixtures.ts";

const DEMO_REGION = "Local Demo";

let h: SyncHarness;

beforeAll(async () => {
  h = await startHarness({ litellm: true });
});
afterAll(() => h?.close());

describe("the demo's proxy", () => {
  it("carries every demo team's entitlement after the seed, and the demo region is in step", async () => {
    // The demo region's proxy is the harness's contract server (a fresh one, as on start).
    const seeded = await seedDemo(h.db, {
      hashPassword: (plain) => Promise.resolve(`not-argon2:${plain.length}`),
      region: { name: DEMO_REGION, baseUrl: h.litellm.url, masterKey: LITELLM_MASTER_KEY },
    });
    expect(seeded.seeded).toBe(true);
    const region = await h.db.prisma.region.findUniqueOrThrow({
      where: { name: DEMO_REGION },
      select: { id: true, name: true },
    });
    // As `npm start` after a fresh seed: the seed queued the pushes.
    const { rows: queued } = await h.db.pool.query<{ kind: string; n: number }>(
      `SELECT kind, count(*)::int AS n FROM jobs WHERE region_id = $1::uuid GROUP BY kind ORDER BY kind`,
      [region.id],
    );
    const teams = await h.db.prisma.team.findMany({ select: { id: true, name: true } });
    expect(queued).toEqual([
      { kind: "litellm.pushEntitlement", n: teams.length },
      { kind: "litellm.syncTeamBlock", n: teams.length },
    ]);
    await rehydrateDemoLiteLLM(h.db, h.litellm, region.name, { pushTeamState: false });
    await h.converge();

    let budgets = 0;
    for (const team of teams) {
      const entitlement = await loadTeamEntitlement(
        h.db.prisma,
        team.id,
        h.config.defaultEntitlement,
      );
      const onProxy = h.litellm.state.getTeam(litellmTeamId(region.name, team.id));
      expect(onProxy, team.name).toBeDefined();
      expect(
        {
          maxBudget: onProxy!.maxBudget,
          budgetDuration: onProxy!.budgetDuration ?? null,
          rpmLimit: onProxy!.rpmLimit,
          tpmLimit: onProxy!.tpmLimit,
          models: [...(onProxy!.models ?? [])].sort(),
        },
        team.name,
      ).toEqual({
        maxBudget: entitlement.maxBudgetUsd,
        budgetDuration: entitlement.maxBudgetUsd === null ? null : entitlement.budgetDuration,
        rpmLimit: entitlement.rpmLimit,
        tpmLimit: entitlement.tpmLimit,
        models: [...entitlement.models].sort(),
      });
      if ((onProxy!.maxBudget ?? 0) > 0) budgets += 1;
    }
    // The demo's products grant budgets: the proxy enforces them now.
    expect(budgets).toBeGreaterThan(0);

    const admin = await insertUserWithSession(h, {
      email: "admin@demo-proxy.test",
      isSystemAdmin: true,
    });
    const result = await h.mutationOk<Out<"regions.reconcile">>(
      "regions.reconcile",
      { regionId: region.id },
      admin.creds,
    );
    expect(
      Object.fromEntries(Object.entries(result.report.counts).filter(([, n]) => n > 0)),
    ).toEqual({});
    expect(result.inStep).toBe(true);
  });

  it("a restart (empty in-memory proxy) queues the pushes again", async () => {
    const region = await h.db.prisma.region.findUniqueOrThrow({
      where: { name: DEMO_REGION },
      select: { id: true, name: true },
    });
    await h.litellm.reset();
    await rehydrateDemoLiteLLM(h.db, h.litellm, region.name);
    await h.converge();
    const teams = await h.db.prisma.team.findMany({ select: { id: true } });
    for (const team of teams) {
      const onProxy = h.litellm.state.getTeam(litellmTeamId(region.name, team.id));
      const entitlement = await loadTeamEntitlement(
        h.db.prisma,
        team.id,
        h.config.defaultEntitlement,
      );
      expect(onProxy?.maxBudget ?? null).toBe(entitlement.maxBudgetUsd);
    }
  });
});
