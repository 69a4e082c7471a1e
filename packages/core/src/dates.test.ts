import { describe, expect, it } from "vitest";
import { isStorableDate, ZStorableDateTime } from "./dates.ts";

describe("storable dates", () => {
  it.each([
    ["year 0000", "0000-01-01T00:00:00Z", false],
    ["year 0001", "0001-01-01T00:00:00Z", false],
    ["just before 1970", "1969-12-31T23:59:59.999Z", false],
    ["the epoch", "1970-01-01T00:00:00Z", true],
    ["today-ish", "2026-11-28T12:00:00.123Z", true],
    ["the last millisecond of 9999", "9999-12-31T23:59:59.999Z", true],
  ])("%s: %s -> %s", (_what, value, ok) => {
    expect(isStorableDate(new Date(value))).toBe(ok);
    expect(ZStorableDateTime.safeParse(value).success).toBe(ok);
  });

  it("refuses what is not a UTC ISO date-time", () => {
    for (const value of [
      "yesterday",
      "2026-01-01",
      "2026-01-01T00:00:00+02:00",
      "+010000-01-01T00:00:00Z",
    ]) {
      expect(ZStorableDateTime.safeParse(value).success, value).toBe(false);
    }
    expect(isStorableDate(new Date(Number.NaN))).toBe(false);
  });
});
