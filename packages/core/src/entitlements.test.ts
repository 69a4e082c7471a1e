import { describe, expect, it } from "vitest";
import {
  budgetDurationToSend,
  blockState,
  canAddKey,
  effectiveEntitlement,
  litellmTeamLimits,
  normalizeLegacyLimits,
  shouldBlockExpired,
  UNLIMITED,
  ZProductLimits,
  type TProductLimits,
} from "./entitlements.ts";

const limits = (l: Partial<TProductLimits>): TProductLimits => ({
  ...UNLIMITED,
  maxKeys: 0,
  maxBudgetUsd: 0,
  rpmLimit: 0,
  tpmLimit: 0,
  models: ["none"],
  ...l,
});
const trial: TProductLimits = {
  maxKeys: 1,
  maxBudgetUsd: 5,
  budgetDuration: "30d",
  rpmLimit: 10,
  tpmLimit: 1000,
  models: ["small"],
};

describe("ZProductLimits", () => {
  it("fills missing fields", () => {
    expect(ZProductLimits.parse({})).toEqual(UNLIMITED);
  });
  it.each<[string, unknown, string]>([
    ["negative maxKeys", { maxKeys: -1 }, "maxKeys"],
    ["fractional rpm", { rpmLimit: 1.5 }, "rpmLimit"],
    ["bad duration", { budgetDuration: "30 days" }, "budgetDuration"],
    ["week unit is not in the contract", { budgetDuration: "1w" }, "budgetDuration"],
    ["unknown field", { rpm: 5 }, ""],
    ["empty model name", { models: [""] }, "models"],
  ])("refuses %s", (_name, input, field) => {
    const result = ZProductLimits.safeParse(input);
    expect(result.success).toBe(false);
    if (field) expect(result.error?.issues[0]?.path[0]).toBe(field);
  });
  it.each(["30s", "10m", "12h", "30d", "1mo"])("accepts duration %s", (d) => {
    expect(ZProductLimits.parse({ budgetDuration: d }).budgetDuration).toBe(d);
  });
});

describe("normalizeLegacyLimits", () => {
  it.each<[string, unknown, Partial<TProductLimits>]>([
    [
      "demo seed starter",
      { maxKeys: 5, maxBudgetUsd: 50, rpm: 60, models: ["gpt-4o-mini"] },
      { maxKeys: 5, maxBudgetUsd: 50, rpmLimit: 60, models: ["gpt-4o-mini"] },
    ],
    ["wildcard model list means all", { models: ["*"] }, { models: [] }],
    ["typed already", trial, trial],
    ["garbage", { maxKeys: "x", tpm: -3, budgetDuration: "soon" }, {}],
    ["not an object", [1, 2], {}],
    ["null", null, {}],
  ])("%s", (_name, raw, expected) => {
    expect(normalizeLegacyLimits(raw)).toEqual({ ...UNLIMITED, ...expected });
  });
});

describe("effectiveEntitlement", () => {
  const a = {
    id: "a",
    name: "A",
    limits: limits({
      maxKeys: 2,
      maxBudgetUsd: 10,
      budgetDuration: "1mo",
      rpmLimit: 100,
      tpmLimit: null,
      models: ["m1"],
    }),
  };
  const b = {
    id: "b",
    name: "B",
    limits: limits({
      maxKeys: 5,
      maxBudgetUsd: 20,
      budgetDuration: "30d",
      rpmLimit: null,
      tpmLimit: 50,
      models: ["m2", "m1"],
    }),
  };
  const all = { id: "c", name: "C", limits: limits({ models: [] }) };

  it("no active product: the defaults, every source 'default'", () => {
    const e = effectiveEntitlement([], trial);
    expect(e).toMatchObject(trial);
    expect(Object.values(e.sources)).toEqual(Array(6).fill("default"));
    expect(e.budgetScope).toBe("per_region");
  });
  it.each<[string, Array<typeof a>, Partial<TProductLimits>]>([
    ["one product is itself", [a], a.limits],
    [
      "max of numbers, null beats numbers, union of models",
      [a, b],
      {
        maxKeys: 5,
        maxBudgetUsd: 20,
        budgetDuration: "30d",
        rpmLimit: null,
        tpmLimit: null,
        models: ["m1", "m2"],
      },
    ],
    [
      "order does not matter",
      [b, a],
      { maxKeys: 5, maxBudgetUsd: 20, rpmLimit: null, tpmLimit: null, models: ["m1", "m2"] },
    ],
    ["empty model list anywhere = all models", [a, all], { models: [] }],
  ])("%s", (_name, products, expected) => {
    expect(effectiveEntitlement(products, trial)).toMatchObject(expected);
  });
  it("names the product that gave each limit; the duration follows the budget", () => {
    const e = effectiveEntitlement([a, b], trial);
    expect(e.sources.maxKeys).toEqual({ productId: "b", productName: "B" });
    expect(e.sources.rpmLimit).toEqual({ productId: "b", productName: "B" });
    expect(e.sources.tpmLimit).toEqual({ productId: "a", productName: "A" });
    expect(e.sources.budgetDuration).toEqual(e.sources.maxBudgetUsd);
  });
});

describe("litellmTeamLimits", () => {
  it("maps to LiteLLM fields; no budget, no duration", () => {
    expect(litellmTeamLimits(trial)).toEqual({
      max_budget: 5,
      budget_duration: "30d",
      tpm_limit: 1000,
      rpm_limit: 10,
      models: ["small"],
    });
    expect(litellmTeamLimits({ ...trial, maxBudgetUsd: null }).budget_duration).toBeNull();
  });
});

describe("canAddKey", () => {
  it.each<[number, number | null, boolean]>([
    [0, null, true],
    [1, 2, true],
    [2, 2, false],
    [0, 0, false],
  ])("%i keys under %s -> %s", (n, max, ok) => expect(canAddKey(n, max)).toBe(ok));
});

describe("blockState", () => {
  it.each<[string[], boolean]>([
    [[], false],
    [["manual"], true],
    [["manual", "expired"], true],
    [["expired", "expired"], true],
  ])("%j -> %s", (reasons, blocked) => expect(blockState(reasons).blocked).toBe(blocked));
});

describe("shouldBlockExpired", () => {
  const now = new Date("2026-06-30T00:00:00Z");
  const ago = (d: number) => new Date(now.getTime() - d * 86_400_000);
  it.each<
    [
      string,
      {
        lastPaymentAt: Date | null;
        createdAt: Date;
        alwaysFree?: boolean;
        hasActiveProduct?: boolean;
      },
      number,
      boolean,
    ]
  >([
    ["paid 31 days ago, grace 30+0", { lastPaymentAt: ago(31), createdAt: ago(100) }, 0, true],
    ["paid 31 days ago, grace 30+5", { lastPaymentAt: ago(31), createdAt: ago(100) }, 5, false],
    ["paid 36 days ago, grace 30+5", { lastPaymentAt: ago(36), createdAt: ago(100) }, 5, true],
    ["never paid, new", { lastPaymentAt: null, createdAt: ago(3) }, 0, false],
    ["always free", { lastPaymentAt: null, createdAt: ago(300), alwaysFree: true }, 0, false],
    [
      "active product",
      { lastPaymentAt: null, createdAt: ago(300), hasActiveProduct: true },
      0,
      false,
    ],
  ])("%s", (_n, t, extra, expected) => {
    expect(
      shouldBlockExpired({ alwaysFree: false, hasActiveProduct: false, ...t }, now, 30, extra),
    ).toBe(expected);
  });
});

describe("budgetDurationToSend", () => {
  // LiteLLM restarts the period whenever a duration is sent: only a change is sent.
  it.each([
    ["unchanged: left out, the period runs on", "30d", "30d", undefined],
    ["changed", "7d", "30d", "7d"],
    ["set", "30d", null, "30d"],
    ["cleared", null, "30d", null],
    ["none on either side: left out", null, null, undefined],
    ["unknown (team being created): sent", "30d", undefined, "30d"],
  ] as const)("%s", (_name, expected, current, sent) => {
    expect(budgetDurationToSend(expected, current)).toBe(sent);
  });
});
