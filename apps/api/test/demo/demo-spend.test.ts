/**
 * The demo shows spend on a first start: the demo proxy holds a month of made-up traffic
 * (daily rows and counters, demo-spend.ts), the first spend sync files it through the real
 * path (`/team/daily/activity` -> backfill), and teams.spendHistory shows 30 days that
 * agree with each team's counter. One team is near its budget, one expires within a week.
 * Real database, the contract server over real HTTP, the real worker.
 */
import { isTeamExpired, litellmTeamId } from "@gatehouse/core";
import { DEMO_TEAMS_OF_NOTE, seedDemo } from "@gatehouse/db/data";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rehydrateDemoLiteLLM } from "../../src/demo.ts";
import { demoSpendPlan, plantDemoSpend } from "../../src/demo-spend.ts";
import { syncRegionSpend } from "../../src/spend/sync.ts";
import { clientFor } from "../support/contract-spend.ts";
import { insertUserWithSession, LITELLM_MASTER_KEY } from "../support/fixtures.ts";
import { startHarness, type SyncHarness } from "../support/harness.ts";
import type { Credentials } from "../support/http.ts";

const DEMO_REGION = "Local Demo";

interface History {
  days: Array<{ day: string; spendUsd: number | null }>;
}
interface TeamDetail {
  spendUsd: number | null;
  spend: { totalUsd: number | null; budgetUsd: number | null; budgetResetAt: string | null };
}

let h: SyncHarness;
let admin: { creds: Credentials };
let region: { id: string; name: string };
let teams: Array<{ id: string; name: string }>;

beforeAll(async () => {
  h = await startHarness({ litellm: true });
  await seedDemo(h.db, {
    hashPassword: (plain) => Promise.resolve(`not-argon2:${plain.length}`),
    region: { name: DEMO_REGION, baseUrl: h.litellm.url, masterKey: LITELLM_MASTER_KEY },
  });
  region = await h.db.prisma.region.findUniqueOrThrow({
    where: { name: DEMO_REGION },
    select: { id: true, name: true },
  });
  teams = await h.db.prisma.team.findMany({ select: { id: true, name: true } });
  // As `npm start` does on a fresh seed: rehydrate, plant, then the worker runs.
  await rehydrateDemoLiteLLM(h.db, h.litellm, region.name, { pushTeamState: false });
  await plantDemoSpend(h.db, h.litellm, region.name, h.config.defaultEntitlement);
  await h.converge();
  await syncRegionSpend({
    db: h.db,
    client: clientFor(h.litellm),
    region,
    holder: "test",
  });
  admin = await insertUserWithSession(h, { email: "admin@demo-spend.test", isSystemAdmin: true });
});
afterAll(() => h?.close());

const teamNamed = (name: string) => teams.find((t) => t.name === name)!;
const detail = (teamId: string) => h.queryOk<TeamDetail>("teams.get", { teamId }, admin.creds);
// 31 days: today and the 30 before it, all the demo proxy holds.
const history = (teamId: string) =>
  h.queryOk<History>("teams.spendHistory", { teamId, days: 31 }, admin.creds);

describe("the demo's spend on first start", () => {
  it("every team that has been around shows a month of history after the first sync", async () => {
    const old = teamNamed("Globex Search");
    const days = (await history(old.id)).days;
    const withSpend = days.filter((d) => (d.spendUsd ?? 0) > 0);
    expect(withSpend.length).toBeGreaterThanOrEqual(25);
    // No team reads $0.00 any more.
    for (const team of teams) {
      const spend = (await detail(team.id)).spendUsd;
      expect(spend, team.name).not.toBeNull();
      expect(spend!, team.name).toBeGreaterThan(0);
    }
  });

  it("the history agrees with each team's counter since its budget period began", async () => {
    for (const team of teams) {
      const [d, h30] = [await detail(team.id), await history(team.id)];
      const resetAt = d.spend.budgetResetAt === null ? null : new Date(d.spend.budgetResetAt);
      // Monthly budgets: the period began on the 1st of the month before the reset.
      const from =
        resetAt === null
          ? ""
          : new Date(Date.UTC(resetAt.getUTCFullYear(), resetAt.getUTCMonth() - 1, 1))
              .toISOString()
              .slice(0, 10);
      const sum = h30.days
        .filter((day) => day.day >= from)
        .reduce((total, day) => total + (day.spendUsd ?? 0), 0);
      expect(Math.round(sum * 100) / 100, team.name).toBeCloseTo(d.spendUsd!, 2);
    }
  });

  it("one team is near its budget, so the 50 and 75 % thresholds are crossed", async () => {
    const team = teamNamed(DEMO_TEAMS_OF_NOTE.nearBudget);
    const d = await detail(team.id);
    expect(d.spend.budgetUsd).toBeGreaterThan(0);
    const share = d.spend.totalUsd! / d.spend.budgetUsd!;
    expect(share).toBeGreaterThanOrEqual(0.85);
    expect(share).toBeLessThan(0.95);
    // Nobody else is past half their budget: the alerts are about that one team.
    for (const other of teams.filter((t) => t.id !== team.id)) {
      const o = await detail(other.id);
      if (o.spend.budgetUsd === null || o.spend.budgetUsd === 0) continue;
      expect(o.spend.totalUsd! / o.spend.budgetUsd, other.name).toBeLessThan(0.5);
    }
  });

  it("one team expires within a week (its payment date is planted)", async () => {
    const team = await h.db.prisma.team.findFirstOrThrow({
      where: { name: DEMO_TEAMS_OF_NOTE.expiringSoon },
      select: { alwaysFree: true, lastPaymentAt: true, createdAt: true, products: true },
    });
    const facts = {
      alwaysFree: team.alwaysFree,
      hasActiveProduct: team.products.some((p) => p.status === "ACTIVE"),
      lastPaymentAt: team.lastPaymentAt,
      createdAt: team.createdAt,
    };
    const now = new Date();
    expect(isTeamExpired(facts, now, h.config.expiryGraceDays)).toBe(false);
    expect(
      isTeamExpired(facts, new Date(now.getTime() + 7 * 86_400_000), h.config.expiryGraceDays),
    ).toBe(true);
  });
});

describe("demoSpendPlan", () => {
  const base = {
    litellmTeamId: "Local_Demo_t",
    name: "Plan",
    createdAt: new Date("2026-01-01T00:00:00Z"),
    models: ["gpt-4o", "gpt-4o-mini"],
    keyTokens: ["k1", "k2"],
  };

  it.each([
    ["the 1st of the month", "2026-12-01T09:00:00Z"],
    ["mid-month", "2026-12-16T09:00:00Z"],
    ["the 31st", "2026-12-31T23:00:00Z"],
  ])("a near-budget team's counter is the share of its budget on %s", (_label, at) => {
    const plan = demoSpendPlan(
      { ...base, maxBudgetUsd: 1000, budgetDuration: "1mo", budgetShare: 0.88 },
      new Date(at),
    );
    expect(plan.spendUsd).toBe(880);
    const sinceFirst = plan.rows
      .filter((r) => r.date >= `${at.slice(0, 8)}01`)
      .reduce((sum, r) => sum + r.spend, 0);
    expect(Math.round(sinceFirst * 100) / 100).toBe(880);
  });

  it("is stable per team, and a team without a budget counts all its history", () => {
    const now = new Date("2026-12-06T10:00:00Z");
    const plan = demoSpendPlan({ ...base, maxBudgetUsd: null, budgetDuration: null }, now);
    expect(demoSpendPlan({ ...base, maxBudgetUsd: null, budgetDuration: null }, now)).toEqual(plan);
    expect(plan.budgetResetAt).toBeNull();
    const total = plan.rows.reduce((sum, r) => sum + r.spend, 0);
    expect(plan.spendUsd).toBeCloseTo(total, 6);
  });

  it("a team created a week ago has a week of history", () => {
    const now = new Date("2026-12-06T10:00:00Z");
    const plan = demoSpendPlan(
      {
        ...base,
        createdAt: new Date("2026-11-29T12:00:00Z"),
        maxBudgetUsd: null,
        budgetDuration: null,
      },
      now,
    );
    expect(plan.rows.every((r) => r.date >= "2026-11-29")).toBe(true);
  });
});

it("uses the region's LiteLLM identity for planted rows", () => {
  const team = teams[0]!;
  const id = litellmTeamId(region.name, team.id);
  expect(h.litellm.state.dailyTeamSpend.some((r) => r.teamId === id)).toBe(true);
});
