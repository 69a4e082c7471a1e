import { describe, expect, it } from "vitest";
import {
  lapseCutoff,
  productRenewsOn,
  renewalPeriodStart,
  renewalView,
  shouldLapse,
  shouldRenew,
  type ProductRenewalFacts,
} from "./renewal.ts";

const now = new Date("2026-06-30T12:00:00Z");
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
const GRACE = 30;
const base: ProductRenewalFacts = {
  status: "ACTIVE",
  attachedAt: daysAgo(100),
  lastPaymentAt: null,
  renewalPeriodDays: 30,
  lapsedAt: null,
};

describe("shouldLapse (period of 30 days, grace 30)", () => {
  it.each<[string, Partial<ProductRenewalFacts>, boolean]>([
    ["attached 100 days ago, never paid", {}, true],
    ["attached 60 days ago exactly", { attachedAt: daysAgo(60) }, false],
    ["attached 60 days and 1 ms ago", { attachedAt: new Date(daysAgo(60).getTime() - 1) }, true],
    ["attached 59 days ago", { attachedAt: daysAgo(59) }, false],
    ["paid 10 days ago, attached long ago", { lastPaymentAt: daysAgo(10) }, false],
    ["paid 61 days ago", { lastPaymentAt: daysAgo(61), attachedAt: daysAgo(400) }, true],
    [
      "paid long ago but attached 5 days ago: the attachment starts the period",
      { lastPaymentAt: daysAgo(400), attachedAt: daysAgo(5) },
      false,
    ],
    [
      "a yearly product attached 300 days ago",
      { renewalPeriodDays: 365, attachedAt: daysAgo(300) },
      false,
    ],
    [
      "a yearly product attached 396 days ago",
      { renewalPeriodDays: 365, attachedAt: daysAgo(396) },
      true,
    ],
    ["already lapsed", { status: "LAPSED", lapsedAt: daysAgo(1) }, false],
    ["cancelled", { status: "CANCELLED" }, false],
  ])("%s", (_name, facts, expected) => {
    expect(shouldLapse({ ...base, ...facts }, now, GRACE)).toBe(expected);
  });

  it("agrees with the sweep's cutoff: period start before lapseCutoff lapses", () => {
    for (const days of [0, 59, 60, 61, 120]) {
      for (const ms of [-1, 0, 1]) {
        const attachedAt = new Date(daysAgo(days).getTime() + ms);
        const facts = { ...base, attachedAt };
        expect(shouldLapse(facts, now, GRACE)).toBe(
          renewalPeriodStart(attachedAt, null) < lapseCutoff(now, 30, GRACE),
        );
      }
    }
  });
});

describe("shouldRenew after a payment", () => {
  it.each<[string, Partial<ProductRenewalFacts>, boolean]>([
    ["lapsed, paid today", { status: "LAPSED", lastPaymentAt: now }, true],
    [
      "lapsed, paid 59 days ago (recorded late)",
      { status: "LAPSED", lastPaymentAt: daysAgo(59) },
      true,
    ],
    [
      "lapsed, payment dated 61 days ago: still over",
      { status: "LAPSED", lastPaymentAt: daysAgo(61) },
      false,
    ],
    ["active, paid today (nothing to renew)", { status: "ACTIVE", lastPaymentAt: now }, false],
    ["cancelled, paid today", { status: "CANCELLED", lastPaymentAt: now }, false],
  ])("%s", (_name, facts, expected) => {
    expect(shouldRenew({ ...base, ...facts }, now, GRACE)).toBe(expected);
  });
});

describe("renewalView", () => {
  it.each<[string, Partial<ProductRenewalFacts>, { renewsOn: Date | null; lapsedOn: Date | null }]>(
    [
      [
        "active: renews a period after attaching",
        { attachedAt: daysAgo(10) },
        { renewsOn: daysAgo(-20), lapsedOn: null },
      ],
      [
        "active: renews a period after the last payment",
        { attachedAt: daysAgo(100), lastPaymentAt: daysAgo(5) },
        { renewsOn: daysAgo(-25), lapsedOn: null },
      ],
      [
        "lapsed: when",
        { status: "LAPSED", lapsedAt: daysAgo(3) },
        { renewsOn: null, lapsedOn: daysAgo(3) },
      ],
      ["cancelled: neither", { status: "CANCELLED" }, { renewsOn: null, lapsedOn: null }],
    ],
  )("%s", (_name, facts, expected) => {
    expect(renewalView({ ...base, ...facts })).toEqual(expected);
  });

  it("renews on is the period start plus the period", () => {
    expect(productRenewsOn({ ...base, attachedAt: daysAgo(0), renewalPeriodDays: 7 })).toEqual(
      daysAgo(-7),
    );
  });
});
