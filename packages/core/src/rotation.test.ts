import { describe, expect, it } from "vitest";
import {
  effectiveRotateEveryDays,
  retireAtFor,
  retiringKeyAlias,
  rotationDue,
} from "./rotation.ts";

const t0 = new Date("2026-01-01T00:00:00.000Z");
const token = "ab12cd34".padEnd(64, "0");

describe("retireAtFor", () => {
  it.each([
    [0, "2026-01-01T00:00:00.000Z"],
    [24, "2026-01-02T00:00:00.000Z"],
    [1.5, "2026-01-01T01:30:00.000Z"],
    [-3, "2026-01-01T00:00:00.000Z"],
  ])("overlap %s h retires at %s", (hours, at) => {
    expect(retireAtFor(t0, hours).toISOString()).toBe(at);
  });
});

describe("retiringKeyAlias", () => {
  it.each([
    ["team/key-0123456789ab", "team/key-0123456789ab-rab12cd34"],
    ["x".repeat(255), `${"x".repeat(245)}-rab12cd34`],
  ])("%s steps aside", (alias, expected) => {
    const out = retiringKeyAlias(alias, token);
    expect(out).toBe(expected);
    expect(out.length).toBeLessThanOrEqual(255);
    expect(out).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9_\-/.]*[a-zA-Z0-9]$/);
  });
  it("differs from the key's own alias", () => {
    expect(retiringKeyAlias("a/b-1", token)).not.toBe("a/b-1");
  });
});

describe("effectiveRotateEveryDays", () => {
  it.each<[number | null, Array<number | null | undefined>, number | null]>([
    [null, [], null],
    [null, [null, undefined], null],
    [30, [], 30],
    [null, [90, 60], 60],
    [30, [90, 7], 7],
    [10, [90], 10],
    [0, [], null],
  ])("team %s, products %j: %s", (team, products, expected) => {
    expect(effectiveRotateEveryDays(team, products)).toBe(expected);
  });
});

describe("rotationDue", () => {
  it.each<[number | null, string, boolean]>([
    [null, "2030-01-01T00:00:00.000Z", false],
    [30, "2026-01-30T23:59:59.999Z", false],
    [30, "2026-01-31T00:00:00.000Z", true],
    [1, "2026-01-05T00:00:00.000Z", true],
  ])("every %s days at %s: %s", (days, now, due) => {
    expect(rotationDue(t0, days, new Date(now))).toBe(due);
  });
});
