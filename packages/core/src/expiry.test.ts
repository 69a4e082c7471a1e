import { describe, expect, it } from "vitest";
import { expiryCutoff, isTeamExpired, type TeamExpiryFacts } from "./expiry.ts";

const now = new Date("2026-06-30T12:00:00Z");
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
const base: TeamExpiryFacts = {
  alwaysFree: false,
  hasActiveProduct: false,
  lastPaymentAt: null,
  createdAt: daysAgo(100),
};

describe("isTeamExpired", () => {
  it.each<[string, Partial<TeamExpiryFacts>, boolean]>([
    ["never paid, created long ago", {}, true],
    ["never paid, created 10 days ago", { createdAt: daysAgo(10) }, false],
    ["never paid, created exactly 30 days ago", { createdAt: daysAgo(30) }, false],
    [
      "never paid, created 30 days and 1 ms ago",
      { createdAt: new Date(daysAgo(30).getTime() - 1) },
      true,
    ],
    ["paid 5 days ago", { lastPaymentAt: daysAgo(5) }, false],
    ["paid 31 days ago", { lastPaymentAt: daysAgo(31) }, true],
    [
      "paid recently though created long ago",
      { lastPaymentAt: daysAgo(1), createdAt: daysAgo(999) },
      false,
    ],
    ["always free, never paid", { alwaysFree: true }, false],
    ["active product, never paid", { hasActiveProduct: true }, false],
    [
      "active product, paid long ago",
      { hasActiveProduct: true, lastPaymentAt: daysAgo(400) },
      false,
    ],
  ])("%s", (_name, facts, expected) => {
    expect(isTeamExpired({ ...base, ...facts }, now)).toBe(expected);
  });

  it("honours a configured grace period", () => {
    expect(isTeamExpired({ ...base, lastPaymentAt: daysAgo(10) }, now, 7)).toBe(true);
    expect(isTeamExpired({ ...base, lastPaymentAt: daysAgo(10) }, now, 14)).toBe(false);
  });

  it("agrees with expiryCutoff at the boundary", () => {
    const cutoff = expiryCutoff(now);
    expect(isTeamExpired({ ...base, lastPaymentAt: cutoff }, now)).toBe(false);
    expect(isTeamExpired({ ...base, lastPaymentAt: new Date(cutoff.getTime() - 1) }, now)).toBe(
      true,
    );
  });
});
