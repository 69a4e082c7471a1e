import { describe, expect, it } from "vitest";
import {
  ACCOUNT_DELAY_MAX_MS,
  accountDelayMs,
  accountThrottle,
  addressGroupOf,
  type AccountThrottle,
} from "./login-limits.ts";

describe("addressGroupOf", () => {
  it.each([
    ["IPv4 stays itself", "203.0.113.7", "203.0.113.7"],
    ["IPv4-mapped IPv6 is the IPv4 address", "::ffff:203.0.113.7", "203.0.113.7"],
    ["IPv4-mapped in hex", "::ffff:cb00:7107", "203.0.113.7"],
    ["IPv6 in full is its /64", "2001:0db8:0001:0002:0003:0004:0005:0006", "2001:db8:1:2::/64"],
    ["two addresses of one /64 share it", "2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"],
    ["compressed inside the prefix", "2001:db8::1", "2001:db8:0:0::/64"],
    ["upper case and a zone", "2001:DB8:1:2::9%eth0", "2001:db8:1:2::/64"],
    ["loopback", "::1", "0:0:0:0::/64"],
    ["not an address stays as given", "unknown", "unknown"],
    ["two :: is not an address", "1::2::3", "1::2::3"],
    ["a bad IPv4 tail is not an address", "::ffff:300.1.1.1", "::ffff:300.1.1.1"],
  ])("%s", (_name, address, group) => {
    expect(addressGroupOf(address)).toBe(group);
  });

  it("a neighbouring /64 is another group", () => {
    expect(addressGroupOf("2001:db8:1:3::1")).not.toBe(addressGroupOf("2001:db8:1:2::1"));
  });
});

describe("accountDelayMs", () => {
  it.each([
    [0, 0],
    [9, 0],
    [10, 1_000],
    [11, 2_000],
    [13, 8_000],
    [40, ACCOUNT_DELAY_MAX_MS],
    [10_000, ACCOUNT_DELAY_MAX_MS],
  ])("%i failures with 10 free: %i ms", (failures, delay) => {
    expect(accountDelayMs(failures, 10)).toBe(delay);
  });
});

describe("accountThrottle", () => {
  const now = new Date("2026-12-05T12:00:00Z");
  const ago = (ms: number) => new Date(now.getTime() - ms);
  it.each<[string, number, Date | null, AccountThrottle]>([
    ["within the free failures", 9, ago(0), { allowed: true }],
    ["past them, right after a failure", 10, ago(0), { allowed: false, retryAfterMs: 1_000 }],
    ["past them, part of the delay gone", 12, ago(1_500), { allowed: false, retryAfterMs: 2_500 }],
    ["past them, the delay over", 12, ago(4_000), { allowed: true }],
    ["never capped beyond the maximum", 99, ago(ACCOUNT_DELAY_MAX_MS), { allowed: true }],
    ["no failure recorded", 10, null, { allowed: true }],
  ])("%s", (_name, failures, lastFailureAt, expected) => {
    expect(accountThrottle({ failures, lastFailureAt }, 10, now)).toEqual(expected);
  });
});
