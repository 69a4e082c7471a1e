import { describe, expect, it } from "vitest";
import { gatehouseTeamIdOf, litellmTeamId } from "./litellm-identity.ts";
import {
  budgetLevel,
  csvField,
  dailyDeltas,
  lastDays,
  periodSpend,
  pointsByRegion,
  spendBetween,
  spendPerDay,
  spendRetentionHorizon,
  summarizeTeamSpend,
  type DailySpendPoint,
  type RegionSpendReading,
} from "./spend.ts";

const d = (iso: string) => new Date(iso);
const p = (day: string, spendUsd: number, reset: string | null = null): DailySpendPoint => ({
  day,
  spendUsd,
  budgetResetAt: reset ? d(reset) : null,
});

describe("gatehouseTeamIdOf", () => {
  const team = "0b7c1e9a-8f0d-4c2b-9a55-3e2f1d0c9b8a";
  it.each<[string, string, string | null]>([
    ["own identity", litellmTeamId("EU West", team), team],
    ["upper-case id is normalised", litellmTeamId("EU West", team.toUpperCase()), team],
    ["another region's team", litellmTeamId("US East", team), null],
    ["region name that prefixes another", litellmTeamId("EU West 2", team), null],
    ["not a uuid", "EU_West_hand-made", null],
    ["a bare id", team, null],
  ])("%s", (_name, id, expected) => {
    expect(gatehouseTeamIdOf("EU West", id)).toBe(expected);
  });
});

describe("summarizeTeamSpend", () => {
  const r = (
    spendUsd: number | null,
    budgetUsd: number | null,
    asOf: string | null,
    reset: string | null = null,
  ): RegionSpendReading => ({
    spendUsd,
    budgetUsd,
    asOf: asOf ? d(asOf) : null,
    budgetResetAt: reset ? d(reset) : null,
  });
  it.each<
    [
      string,
      RegionSpendReading[],
      {
        totalUsd: number | null;
        budgetUsd: number | null;
        asOf: string | null;
        reset: string | null;
      },
    ]
  >([
    ["no region", [], { totalUsd: null, budgetUsd: null, asOf: null, reset: null }],
    [
      "never read",
      [r(null, null, null)],
      { totalUsd: null, budgetUsd: null, asOf: null, reset: null },
    ],
    [
      "two regions summed, oldest asOf, earliest reset",
      [
        r(0.1, 50, "2026-11-28T10:00:00Z", "2026-12-01T00:00:00Z"),
        r(0.2, 50, "2026-11-28T09:00:00Z", "2026-11-30T00:00:00Z"),
      ],
      {
        totalUsd: 0.3,
        budgetUsd: 100,
        asOf: "2026-11-28T09:00:00.000Z",
        reset: "2026-11-30T00:00:00.000Z",
      },
    ],
    [
      "one region never read: the total is what was read, not 0",
      [r(5, null, "2026-11-28T10:00:00Z"), r(null, null, null)],
      { totalUsd: 5, budgetUsd: null, asOf: "2026-11-28T10:00:00.000Z", reset: null },
    ],
    [
      "zero read is zero",
      [r(0, 10, "2026-11-28T10:00:00Z")],
      { totalUsd: 0, budgetUsd: 10, asOf: "2026-11-28T10:00:00.000Z", reset: null },
    ],
  ])("%s", (_name, regions, expected) => {
    const s = summarizeTeamSpend(regions);
    expect({
      totalUsd: s.totalUsd,
      budgetUsd: s.budgetUsd,
      asOf: s.asOf?.toISOString() ?? null,
      reset: s.budgetResetAt?.toISOString() ?? null,
    }).toEqual(expected);
  });
});

describe("budgetLevel", () => {
  it.each<[number | null, number | null, string]>([
    [null, 100, "unknown"],
    [10, null, "unknown"],
    [10, 0, "unknown"],
    [0, 100, "ok"],
    [74.99, 100, "ok"],
    [75, 100, "warning"],
    [89.99, 100, "warning"],
    [90, 100, "critical"],
    [100, 100, "over"],
    [250, 100, "over"],
  ])("%s of %s is %s", (spent, budget, expected) => {
    expect(budgetLevel(spent, budget)).toBe(expected);
  });
});

describe("spendBetween", () => {
  it.each<[string, DailySpendPoint | null, DailySpendPoint, number]>([
    ["first reading counts from 0", null, p("2026-11-01", 4), 4],
    ["growth", p("2026-11-01", 4), p("2026-11-02", 6.5), 2.5],
    ["no change", p("2026-11-01", 4), p("2026-11-02", 4), 0],
    ["drop = reset, spend since reset", p("2026-11-01", 40), p("2026-11-02", 3), 3],
    [
      "reset date moved forward though the total grew",
      p("2026-11-01", 4, "2026-11-02T00:00:00Z"),
      p("2026-11-03", 9, "2026-12-02T00:00:00Z"),
      9,
    ],
    [
      "same reset date, growth",
      p("2026-11-01", 4, "2026-12-01T00:00:00Z"),
      p("2026-11-02", 5, "2026-12-01T00:00:00Z"),
      1,
    ],
    ["float noise is rounded", p("2026-11-01", 0.1), p("2026-11-02", 0.3), 0.2],
  ])("%s", (_name, previous, current, expected) => {
    expect(spendBetween(previous, current)).toBe(expected);
  });
});

describe("dailyDeltas and periodSpend", () => {
  const eu = [
    p("2026-10-30", 10),
    p("2026-11-01", 12),
    p("2026-11-02", 15),
    p("2026-11-03", 1),
    p("2026-11-05", 4),
  ];
  const us = [p("2026-11-02", 2), p("2026-11-04", 7)];

  it("gives each day the spend since the previous point", () => {
    expect(Object.fromEntries(dailyDeltas(eu, null))).toEqual({
      "2026-10-30": 10,
      "2026-11-01": 2,
      "2026-11-02": 3,
      "2026-11-03": 1,
      "2026-11-05": 3,
    });
  });

  it.each<[string, string, string, number]>([
    [
      "whole November: baseline is the last October point",
      "2026-11-01",
      "2026-11-30",
      2 + 3 + 1 + 3 + (2 + 5),
    ],
    ["one day", "2026-11-02", "2026-11-02", 3 + 2],
    ["a day without points", "2026-11-10", "2026-11-20", 0],
    ["from before the first point counts from 0", "2026-10-01", "2026-10-31", 10],
    ["period across a reset", "2026-11-03", "2026-11-05", 1 + 3 + 5],
  ])("%s", (_name, from, to, expected) => {
    expect(periodSpend([eu, us], from, to)).toBe(expected);
  });
});

describe("pointsByRegion and spendPerDay", () => {
  const row = (regionId: string, day: string, spendUsd: number) => ({
    regionId,
    ...p(day, spendUsd),
  });

  it("groups points by region, each sorted by day", () => {
    const grouped = pointsByRegion([
      row("eu", "2026-11-02", 15),
      row("us", "2026-11-04", 7),
      row("eu", "2026-10-30", 10),
    ]);
    expect([...grouped.keys()]).toEqual(["eu", "us"]);
    expect(grouped.get("eu")).toEqual([p("2026-10-30", 10), p("2026-11-02", 15)]);
  });

  it.each<[string, string, Record<string, number>]>([
    [
      "the point before the first day is the baseline",
      "2026-11-01",
      { "2026-11-02": 5 + 2, "2026-11-04": 5 },
    ],
    [
      "without a baseline the first point counts whole",
      "2026-10-01",
      { "2026-10-30": 10, "2026-11-02": 5 + 2, "2026-11-04": 5 },
    ],
    ["days after the last point are absent", "2026-11-05", {}],
  ])("%s", (_name, firstDay, expected) => {
    const grouped = pointsByRegion([
      row("eu", "2026-10-30", 10),
      row("eu", "2026-11-02", 15),
      row("us", "2026-11-02", 2),
      row("us", "2026-11-04", 7),
    ]);
    expect(Object.fromEntries(spendPerDay(grouped.values(), firstDay))).toEqual(expected);
  });
});

describe("lastDays and csvField", () => {
  it("lists UTC days oldest first", () => {
    expect(lastDays(d("2026-11-28T23:30:00Z"), 3)).toEqual([
      "2026-11-26",
      "2026-11-27",
      "2026-11-28",
    ]);
  });
  it.each<[string | number | null, string]>([
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["=SUM(A1)", "'=SUM(A1)"],
    [-1.5, "-1.5"],
    [null, ""],
  ])("%s -> %s", (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });
});

describe("spendRetentionHorizon", () => {
  it.each<[string, string, number, string]>([
    ["one day kept: today only", "2026-06-30T12:00:00Z", 1, "2026-06-30"],
    ["two days", "2026-06-30T00:00:00Z", 2, "2026-06-29"],
    ["800 days (the default)", "2026-06-30T23:59:59Z", 800, "2024-04-22"],
    ["across a leap day", "2024-03-01T10:00:00Z", 2, "2024-02-29"],
  ])("%s", (_name, now, days, expected) => {
    expect(spendRetentionHorizon(d(now), days)).toBe(expected);
  });
});
