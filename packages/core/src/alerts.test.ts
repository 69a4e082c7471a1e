import { describe, expect, it } from "vitest";
import {
  budgetThresholdEvent,
  expiryWarningDue,
  forecastExhaustion,
  teamBlockEvent,
  teamExpiresAt,
  thresholdsCrossed,
  totalForecast,
  type ForecastInput,
} from "./alerts.ts";
import { eventBodies } from "./events.ts";

describe("thresholdsCrossed", () => {
  const t = [50, 75, 90, 100];
  it.each<[string, number, number | null, number[]]>([
    ["below every threshold", 10, 100, []],
    ["exactly 50 %", 50, 100, [50]],
    ["jumps past 50 and 90 in one reading", 95, 100, [50, 75, 90]],
    ["over the budget", 150, 100, [50, 75, 90, 100]],
    ["no budget", 1000, null, []],
    ["zero budget is no budget", 5, 0, []],
    ["cents: 49.999999 of 100", 49.999999, 100, []],
    ["fractional budget", 0.5, 1, [50]],
  ])("%s", (_, spend, budget, expected) => {
    expect(thresholdsCrossed(spend, budget, t)).toEqual(expected);
  });
  it("uses the organization's thresholds, deduplicated and sorted", () => {
    expect(thresholdsCrossed(80, 100, [80, 20, 80])).toEqual([20, 80]);
  });
});

describe("forecastExhaustion", () => {
  const asOf = new Date("2026-06-10T12:00:00Z");
  const base: ForecastInput = {
    spendUsd: 70,
    budgetUsd: 100,
    budgetResetAt: new Date("2026-07-01T00:00:00Z"),
    asOf,
    baseline: { day: "2026-06-03", spendUsd: 0 },
  };
  it.each<[string, Partial<ForecastInput>, { dailyRateUsd: number; exhaustedOn: string } | null]>([
    // 70 over 7 days = 10/day; 30 left = 3 days
    ["runs out before the reset", {}, { dailyRateUsd: 10, exhaustedOn: "2026-06-13" }],
    ["the reset comes first", { budgetResetAt: new Date("2026-06-12T00:00:00Z") }, null],
    ["no baseline", { baseline: null }, null],
    ["baseline today (no whole day)", { baseline: { day: "2026-06-10", spendUsd: 0 } }, null],
    ["no spend since the baseline", { baseline: { day: "2026-06-03", spendUsd: 70 } }, null],
    ["already spent", { spendUsd: 100 }, null],
    ["no budget", { budgetUsd: null }, null],
    [
      "no reset: within the horizon",
      { budgetResetAt: null },
      { dailyRateUsd: 10, exhaustedOn: "2026-06-13" },
    ],
    [
      "no reset: beyond the horizon",
      {
        budgetResetAt: null,
        spendUsd: 7,
        baseline: { day: "2026-06-03", spendUsd: 0 },
        budgetUsd: 1000,
      },
      null,
    ],
  ])("%s", (_, patch, expected) => {
    expect(forecastExhaustion({ ...base, ...patch })).toEqual(expected);
  });
});

describe("totalForecast", () => {
  const asOf = new Date("2026-06-10T12:00:00Z");
  it("adds the regions' rates and budgets and stops at the earliest reset", () => {
    const reset = new Date("2026-06-20T00:00:00Z");
    expect(
      totalForecast(
        [
          { spendUsd: 40, budgetUsd: 100, budgetResetAt: reset, dailyRateUsd: 5 },
          { spendUsd: 40, budgetUsd: 100, budgetResetAt: null, dailyRateUsd: 5 },
        ],
        asOf,
      ),
    ).toBeNull();
    expect(
      totalForecast(
        [
          { spendUsd: 80, budgetUsd: 100, budgetResetAt: reset, dailyRateUsd: 10 },
          { spendUsd: 80, budgetUsd: 100, budgetResetAt: null, dailyRateUsd: 10 },
        ],
        asOf,
      ),
    ).toEqual({ dailyRateUsd: 20, exhaustedOn: "2026-06-12" });
  });
});

describe("expiryWarningDue", () => {
  const now = new Date("2026-06-10T12:00:00Z");
  const at = (days: number) => new Date(now.getTime() + days * 86_400_000);
  it.each<[string, Date, { threshold: number; daysLeft: number } | null]>([
    ["far away", at(30), null],
    ["exactly 14 days", at(14), { threshold: 14, daysLeft: 14 }],
    ["10 days: the 14-day warning", at(10), { threshold: 14, daysLeft: 10 }],
    ["7 days", at(7), { threshold: 7, daysLeft: 7 }],
    ["5 days: the 7-day one only", at(5), { threshold: 7, daysLeft: 5 }],
    ["23 hours", at(23 / 24), { threshold: 1, daysLeft: 1 }],
    ["already expired", at(-1), null],
  ])("%s", (_, expiresAt, expected) => {
    expect(expiryWarningDue(expiresAt, now, [1, 7, 14])).toEqual(expected);
  });
  it("expires at the payment plus the grace", () => {
    expect(teamExpiresAt(null, now, 30).toISOString()).toBe("2026-07-10T12:00:00.000Z");
  });
});

describe("envelopes", () => {
  const teamId = "6f1c0000-0000-4000-8000-000000000001";
  it("budget.threshold: id from team, scope, period and threshold; body valid", () => {
    const e = budgetThresholdEvent({
      at: new Date("2026-06-10T12:00:00Z"),
      organizationId: null,
      teamId,
      regionId: null,
      thresholdPercent: 90,
      spendUsd: 91,
      budgetUsd: 100,
      periodResetAt: new Date(1767225600000),
    });
    expect(e.id).toBe(`budget.threshold/${teamId}/total/1767225600000/90`);
    expect(eventBodies["budget.threshold"].parse(e.data)).toEqual(e.data);
  });
  it("a new period is a new id", () => {
    const common = {
      at: new Date(),
      organizationId: null,
      teamId,
      regionId: null,
      thresholdPercent: 50,
      spendUsd: 60,
      budgetUsd: 100,
    };
    expect(budgetThresholdEvent({ ...common, periodResetAt: new Date(1) }).id).not.toBe(
      budgetThresholdEvent({ ...common, periodResetAt: new Date(2) }).id,
    );
    expect(budgetThresholdEvent({ ...common, periodResetAt: null }).id).toBe(
      `budget.threshold/${teamId}/total/-/50`,
    );
  });
  it("a block and its lift name the same episode", () => {
    const subject = {
      at: new Date(),
      organizationId: null,
      teamId,
      reason: "manual",
      note: null,
      blockCreatedAt: new Date(5),
    };
    expect(teamBlockEvent({ ...subject, lifted: false }).id).toBe(
      `team.blocked/${teamId}/manual/5`,
    );
    expect(teamBlockEvent({ ...subject, lifted: true }).id).toBe(
      `team.unblocked/${teamId}/manual/5`,
    );
  });
});
