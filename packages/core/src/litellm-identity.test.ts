import { describe, expect, it } from "vitest";
import { litellmKeyAlias, litellmTeamId } from "./litellm-identity.ts";

describe("litellmTeamId", () => {
  it.each([
    ["eu-west", "t1", "eu-west_t1"],
    ["US East", "abc", "US_East_abc"],
    ["a  b", "x", "a__b_x"],
    ["Asia Pacific South", "0f8e", "Asia_Pacific_South_0f8e"],
  ])("region %j, team %j -> %j", (region, team, expected) => {
    expect(litellmTeamId(region, team)).toBe(expected);
  });
});

describe("litellmKeyAlias", () => {
  it("is unique per proxy because it carries the team identity", () => {
    expect(litellmKeyAlias("eu_t1", "ci key")).toBe("eu_t1/ci key");
    expect(litellmKeyAlias("eu_t1", "k")).not.toBe(litellmKeyAlias("eu_t2", "k"));
  });
});
