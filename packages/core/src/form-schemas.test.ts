import { describe, expect, it } from "vitest";
import { ZEmail } from "./email.ts";
import { NAME_MAX, ZName } from "./names.ts";
import { ZRegionName } from "./region-settings.ts";
import { PASSWORD_MAX, PASSWORD_MIN, ZPassword } from "./password.ts";

describe("shared form schemas (API and web forms parse with the same rules)", () => {
  it.each([
    ["too short", "a".repeat(PASSWORD_MIN - 1), false],
    ["exactly the minimum", "a".repeat(PASSWORD_MIN), true],
    ["exactly the maximum", "a".repeat(PASSWORD_MAX), true],
    ["too long", "a".repeat(PASSWORD_MAX + 1), false],
  ])("password %s", (_what, password, ok) => {
    expect(ZPassword.safeParse(password).success).toBe(ok);
  });

  it.each([
    ["Alice@Example.COM", "alice@example.com"],
    ["bob@example.com", "bob@example.com"],
  ])("email %j -> %j", (input, expected) => {
    expect(ZEmail.parse(input)).toBe(expected);
  });

  it.each([["not an email"], [`${"a".repeat(250)}@b.co`]])("refuses email %j", (input) => {
    expect(ZEmail.safeParse(input).success).toBe(false);
  });

  it.each([
    ["a trimmed name", "  Acme  ", true],
    ["the longest name", "a".repeat(NAME_MAX), true],
    ["a name too long", "a".repeat(NAME_MAX + 1), false],
    ["an empty name", "   ", false],
  ])("name: %s", (_what, name, ok) => {
    expect(ZName.safeParse(name).success).toBe(ok);
  });

  it.each([
    ["EU West", true],
    ["eu_west-1", true],
    ["-leading dash", false],
    ["dots.not.allowed", false],
  ])("region name %j", (name, ok) => {
    expect(ZRegionName.safeParse(name).success).toBe(ok);
  });
});
