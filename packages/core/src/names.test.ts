import { describe, expect, it } from "vitest";
import { hasInvisibleCharacters, INVISIBLE_CHARACTER_MESSAGE, zName } from "./names.ts";

describe("names refuse control and format characters", () => {
  it.each([
    ["a right-to-left override", "invoice\u202Egpj.exe"],
    ["a pop directional formatting", "a\u202Cb"],
    ["a left-to-right isolate", "a\u2066b"],
    ["a zero-width space", "ad\u200Bmin"],
    ["a zero-width non-joiner", "ad\u200Cmin"],
    ["a zero-width joiner between letters", "ad\u200Dmin"],
    ["a zero-width joiner before an emoji", "\u200D👩"],
    ["a byte order mark", "Ac\uFEFFme"],
    ["a soft hyphen", "Ac\u00ADme"],
    ["a tab", "Ac\tme"],
    ["a newline", "Acme\nCorp"],
    ["an escape", "Acme\u001B[31m"],
    ["a DEL", "Acme\u007F"],
    ["a C1 control", "Acme\u0085"],
    ["an invisible tag character", "Acme\u{E0041}"],
  ])("refuses %s", (_what, name) => {
    expect(hasInvisibleCharacters(name)).toBe(true);
    const parsed = zName({ max: 200 }).safeParse(name);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message)).toContain(INVISIBLE_CHARACTER_MESSAGE);
  });

  it.each([
    ["plain ASCII", "Acme Corp"],
    ["right-to-left letters", "שלום עולם"],
    ["combining marks", "Cafe\u0301"],
    ["an emoji family (ZWJ sequence)", "👩‍👩‍👧‍👦 team"],
    ["an emoji with a skin tone and ZWJ", "👩🏽‍💻"],
    ["an emoji with a variation selector and ZWJ", "❤️‍🔥"],
    ["CJK", "東京チーム"],
  ])("accepts %s", (_what, name) => {
    expect(hasInvisibleCharacters(name)).toBe(false);
    expect(zName({ max: 200 }).parse(name)).toBe(name);
  });

  it("trims, bounds the length and applies an extra pattern", () => {
    expect(zName({ max: 5 }).parse("  abc  ")).toBe("abc");
    expect(zName({ max: 5 }).safeParse("abcdef").success).toBe(false);
    expect(zName({ max: 5 }).safeParse("   ").success).toBe(false);
    const ascii = zName({ max: 10, pattern: { regex: /^[a-z]+$/, error: "letters only" } });
    expect(ascii.safeParse("abc1").error?.issues[0]?.message).toBe("letters only");
  });
});
