import { describe, expect, it } from "vitest";
import {
  effectiveEntitlement,
  normalizeLegacyLimits,
  UNLIMITED,
  type TProductLimits,
} from "./entitlements.ts";
import {
  keyLimitsInForce,
  keyPolicy,
  resolveKeyExpiry,
  resolveKeyLimits,
  type TKeyLimitsInput,
} from "./key-limits.ts";

const pro = {
  id: "p1",
  name: "Pro",
  limits: {
    ...UNLIMITED,
    maxBudgetUsd: 50,
    budgetDuration: "30d",
    rpmLimit: 100,
    models: ["small", "large"],
    keyDefaults: { maxBudgetUsd: 10, budgetDuration: "1d", rpmLimit: null, tpmLimit: 500 },
    keyMaxLifetimeDays: 90,
  } satisfies TProductLimits,
};
const entitlement = effectiveEntitlement([pro], UNLIMITED);
const policy = keyPolicy([pro]);
const now = new Date("2026-01-01T00:00:00Z");
const days = (n: number) => new Date(now.getTime() + n * 86_400_000);

describe("resolveKeyLimits", () => {
  it.each<[string, TKeyLimitsInput, string, string]>([
    [
      "budget above the product's",
      { maxBudgetUsd: 60 },
      "maxBudgetUsd",
      "maxBudgetUsd is capped at $50 by product Pro",
    ],
    [
      "rpm above the product's",
      { rpmLimit: 101 },
      "rpmLimit",
      "rpmLimit is capped at 100 by product Pro",
    ],
    [
      "a model the team lacks",
      { models: ["small", "huge"] },
      "models",
      "models huge are not allowed by product Pro",
    ],
  ])("refuses %s, naming the product", (_n, input, field, message) => {
    const r = resolveKeyLimits(input, entitlement, policy);
    expect(r).toEqual({ ok: false, errors: [{ field, message }] });
  });

  it.each<[string, TKeyLimitsInput, Record<string, unknown>]>([
    [
      "nothing given: the product's key defaults",
      {},
      {
        maxBudgetUsd: 10,
        budgetDuration: "1d",
        rpmLimit: null,
        tpmLimit: 500,
        models: [],
        defaulted: ["maxBudgetUsd", "budgetDuration", "tpmLimit"],
      },
    ],
    [
      "own values win over defaults",
      { maxBudgetUsd: 50, budgetDuration: "30d", tpmLimit: null, models: ["small"] },
      {
        maxBudgetUsd: 50,
        budgetDuration: "30d",
        rpmLimit: null,
        tpmLimit: null,
        models: ["small"],
        defaulted: [],
      },
    ],
    [
      "tpm is uncapped by the team",
      { tpmLimit: 1_000_000 },
      { tpmLimit: 1_000_000, defaulted: ["maxBudgetUsd", "budgetDuration"] },
    ],
  ])("accepts %s", (_n, input, expected) => {
    const r = resolveKeyLimits(input, entitlement, policy);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.limits).toMatchObject(expected);
  });

  it("a team without products caps nothing and has no defaults", () => {
    const e = effectiveEntitlement([], UNLIMITED);
    const r = resolveKeyLimits({ maxBudgetUsd: 1e6, models: ["any"] }, e, keyPolicy([]));
    expect(r.ok).toBe(true);
  });
});

describe("resolveKeyExpiry", () => {
  const cap = policy.maxLifetimeDays;
  it.each<
    [string, Parameters<typeof resolveKeyExpiry>[0], typeof cap | null, Date | null | string]
  >([
    ["no lifetime, no cap: never", {}, null, null],
    ["no lifetime under a cap: the cap", {}, cap, days(90)],
    ["lifetimeDays", { lifetimeDays: 7 }, cap, days(7)],
    ["expiresAt within the cap", { expiresAt: days(30) }, cap, days(30)],
    ["expiresAt beyond the cap", { expiresAt: days(91) }, cap, "expiresAt"],
    ["lifetimeDays beyond the cap", { lifetimeDays: 91 }, cap, "lifetimeDays"],
    ["expiresAt in the past", { expiresAt: days(-1) }, null, "expiresAt"],
    ["both given", { expiresAt: days(1), lifetimeDays: 1 }, null, "lifetimeDays"],
  ])("%s", (_n, input, c, expected) => {
    const r = resolveKeyExpiry(input, now, c);
    if (typeof expected === "string") {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors[0]!.field).toBe(expected);
    } else {
      expect(r).toEqual({ ok: true, expiresAt: expected });
    }
  });
  it("names the capping product", () => {
    const r = resolveKeyExpiry({ expiresAt: days(100) }, now, cap);
    expect(r.ok || r.errors[0]!.message).toBe("keys live at most 90 days under product Pro");
  });
});

describe("keyPolicy", () => {
  const other = {
    id: "p2",
    name: "Team",
    limits: {
      ...UNLIMITED,
      keyDefaults: { maxBudgetUsd: 20, budgetDuration: "7d", rpmLimit: 5, tpmLimit: null },
      keyMaxLifetimeDays: 30,
    },
  };
  it("the most generous default and cap win, each with its product", () => {
    const p = keyPolicy([pro, other]);
    expect(p.defaults.maxBudgetUsd).toEqual({
      value: 20,
      source: { productId: "p2", productName: "Team" },
    });
    expect(p.defaults.budgetDuration.value).toBe("7d");
    expect(p.defaults.tpmLimit.value).toBe(500);
    expect(p.maxLifetimeDays.value).toBe(90);
  });
  it("a product without a cap lifts it", () => {
    expect(
      keyPolicy([pro, { id: "p3", name: "Free", limits: UNLIMITED }]).maxLifetimeDays.value,
    ).toBeNull();
  });
});

describe("keyLimitsInForce", () => {
  it("names key, product default and team sources", () => {
    const r = resolveKeyLimits({ rpmLimit: 10 }, entitlement, policy);
    if (!r.ok) throw new Error("refused");
    const view = Object.fromEntries(
      keyLimitsInForce(r.limits, entitlement, policy).map((l) => [l.field, l]),
    );
    expect(view.rpmLimit!.source).toEqual({ kind: "key" });
    expect(view.maxBudgetUsd!.source).toEqual({ kind: "product", productName: "Pro" });
    expect(view.models).toEqual({
      field: "models",
      value: ["large", "small"],
      source: { kind: "team", from: "product Pro" },
    });
  });
});

describe("product limits with key fields", () => {
  it("normalizeLegacyLimits keeps valid key fields and drops invalid ones", () => {
    expect(
      normalizeLegacyLimits({ keyMaxLifetimeDays: 30, keyDefaults: { rpmLimit: 5 } }),
    ).toMatchObject({
      keyMaxLifetimeDays: 30,
      keyDefaults: { rpmLimit: 5, maxBudgetUsd: null },
    });
    expect(normalizeLegacyLimits({ keyMaxLifetimeDays: -1 })).not.toHaveProperty(
      "keyMaxLifetimeDays",
    );
  });
});
