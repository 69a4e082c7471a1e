import { describe, expect, it } from "vitest";
import { backfillSpendPoints, budgetPeriodStart } from "./spend-backfill.ts";
import { lastDays, spendPerDay } from "./spend.ts";

const at = (iso: string) => new Date(iso);

describe("budgetPeriodStart", () => {
  it.each([
    ["1mo", "2026-12-01T00:00:00Z", "2026-11-01T00:00:00.000Z"],
    ["30d", "2027-01-01T00:00:00Z", "2026-12-01T00:00:00.000Z"],
    ["7d", "2026-12-07T00:00:00Z", "2026-11-30T00:00:00.000Z"],
    ["2w", "2026-12-14T00:00:00Z", "2026-11-30T00:00:00.000Z"],
    ["1d", "2026-12-07T00:00:00Z", "2026-12-06T00:00:00.000Z"],
    ["12h", "2026-12-07T00:00:00Z", null],
    ["2mo", "2026-12-01T00:00:00Z", null],
    ["soon", "2026-12-01T00:00:00Z", null],
  ])("%s ending %s started %s", (duration, end, start) => {
    expect(budgetPeriodStart(at(end), duration)?.toISOString() ?? null).toBe(start);
  });
});

describe("backfillSpendPoints", () => {
  const today = "2026-12-06";

  it("fills nothing when the proxy reports no daily spend in the window", () => {
    expect(
      backfillSpendPoints({
        today,
        spendUsd: 40,
        budgetResetAt: null,
        budgetDuration: null,
        daily: new Map([["2026-10-01", 5]]),
      }),
    ).toEqual([]);
  });

  it("fills nothing for budget periods shorter than a day", () => {
    expect(
      backfillSpendPoints({
        today,
        spendUsd: 4,
        budgetResetAt: at("2026-12-06T12:00:00Z"),
        budgetDuration: "12h",
        daily: new Map([["2026-12-05", 5]]),
      }),
    ).toEqual([]);
  });

  it("without a budget period walks back from the counter: the days sum to the counter", () => {
    const daily = new Map([
      ["2026-12-01", 10],
      ["2026-12-03", 5],
      ["2026-12-06", 2],
    ]);
    const points = backfillSpendPoints({
      today,
      spendUsd: 17,
      budgetResetAt: null,
      budgetDuration: null,
      daily,
    });
    expect(points).toHaveLength(30);
    expect(points[0]).toEqual({ day: "2026-11-06", spendUsd: 0, budgetResetAt: null });
    expect(points.filter((p) => p.day >= "2026-11-30")).toEqual([
      { day: "2026-11-30", spendUsd: 0, budgetResetAt: null },
      { day: "2026-12-01", spendUsd: 10, budgetResetAt: null },
      { day: "2026-12-02", spendUsd: 10, budgetResetAt: null },
      { day: "2026-12-03", spendUsd: 15, budgetResetAt: null },
      { day: "2026-12-04", spendUsd: 15, budgetResetAt: null },
      { day: "2026-12-05", spendUsd: 15, budgetResetAt: null },
    ]);
    // With today's reading on top, the chart's days are the daily table's.
    const all = [...points, { day: today, spendUsd: 17, budgetResetAt: null }];
    const perDay = spendPerDay([all], lastDays(at("2026-12-06T10:00:00Z"), 30)[0]!);
    expect(perDay.get("2026-12-01")).toBe(10);
    expect(perDay.get("2026-12-03")).toBe(5);
    expect(perDay.get("2026-12-06")).toBe(2);
    expect(perDay.get("2026-12-02")).toBe(0);
  });

  it("across a monthly reset: earlier points count from the window, marked with the reset that ended them", () => {
    const reset = at("2027-01-01T00:00:00Z");
    const daily = new Map([
      ["2026-11-10", 3],
      ["2026-11-20", 4],
      ["2026-12-02", 6],
      ["2026-12-05", 1],
    ]);
    const points = backfillSpendPoints({
      today,
      spendUsd: 7,
      budgetResetAt: reset,
      budgetDuration: "1mo",
      daily,
    });
    const byDay = new Map(points.map((p) => [p.day, p]));
    expect(byDay.get("2026-11-09")).toEqual({
      day: "2026-11-09",
      spendUsd: 0,
      budgetResetAt: at("2026-12-01T00:00:00Z"),
    });
    expect(byDay.get("2026-11-10")!.spendUsd).toBe(3);
    expect(byDay.get("2026-11-30")!.spendUsd).toBe(7);
    expect(byDay.get("2026-12-01")).toEqual({
      day: "2026-12-01",
      spendUsd: 0,
      budgetResetAt: reset,
    });
    expect(byDay.get("2026-12-02")!.spendUsd).toBe(6);
    expect(byDay.get("2026-12-05")!.spendUsd).toBe(7);
    const all = [...points, { day: today, spendUsd: 7, budgetResetAt: reset }];
    const perDay = spendPerDay([all], "2026-11-07");
    const total = [...perDay.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(14);
    expect(perDay.get("2026-12-02")).toBe(6);
    expect(perDay.get("2026-11-20")).toBe(4);
  });

  it("never files a negative reading when the daily table holds more than the counter", () => {
    const points = backfillSpendPoints({
      today,
      spendUsd: 1,
      budgetResetAt: null,
      budgetDuration: null,
      daily: new Map([["2026-12-04", 5]]),
      days: 3,
    });
    expect(points.map((p) => p.spendUsd)).toEqual([0, 1, 1]);
  });
});
