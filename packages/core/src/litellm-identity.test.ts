import { describe, expect, it } from "vitest";
import { isValidKeyName } from "./key-name.ts";
import {
  gatehouseTeamIdInAnyRegion,
  isPortableKeyAlias,
  litellmKeyAlias,
  litellmTeamId,
  LITELLM_STRICT_KEY_ALIAS,
} from "./litellm-identity.ts";

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

const TEAM = litellmTeamId("EU West", "0b6f4c1e-9a57-4c43-8d7e-2f1a5b3c9d10");

describe("litellmKeyAlias: accepted by every LiteLLM", () => {
  it.each([
    ["ci key", /^EU_West_0b6f4c1e-9a57-4c43-8d7e-2f1a5b3c9d10\/ci_key-[0-9a-f]{12}$/],
    ["v2..beta release", /\/v2.beta_release-[0-9a-f]{12}$/],
    ["trailing.", /\/trailing.-[0-9a-f]{12}$/],
    ["dots...and--dashes", /\/dots.and--dashes-[0-9a-f]{12}$/],
    ["a", /\/a-[0-9a-f]{12}$/],
    ["x".repeat(64), new RegExp(`/${"x".repeat(64)}-[0-9a-f]{12}$`)],
  ])("name %j -> %s", (name, shape) => {
    expect(isValidKeyName(name)).toBe(true);
    const alias = litellmKeyAlias(TEAM, name);
    expect(alias).toMatch(shape);
    expect(alias).toMatch(LITELLM_STRICT_KEY_ALIAS);
    expect(alias).not.toContain("..");
    expect(isPortableKeyAlias(alias)).toBe(true);
  });

  it.each([
    ["region with odd characters", "-weird region", "k"],
    ["very long identities are cut to 255", "r".repeat(300), "k"],
  ])("%s", (_label, region, name) => {
    const alias = litellmKeyAlias(litellmTeamId(region, "t"), name);
    expect(alias.length).toBeLessThanOrEqual(255);
    expect(isPortableKeyAlias(alias)).toBe(true);
  });
});

describe("litellmKeyAlias: deterministic and unique per proxy", () => {
  it("gives the same alias for the same team and name", () => {
    expect(litellmKeyAlias(TEAM, "v2..beta release")).toBe(
      litellmKeyAlias(TEAM, "v2..beta release"),
    );
  });

  it.each([
    ["names that sanitize alike", TEAM, "a b", TEAM, "a_b"],
    ["dot runs collapsed alike", TEAM, "v2..beta", TEAM, "v2.beta"],
    ["case differs", TEAM, "Key", TEAM, "key"],
    ["same name, other team", TEAM, "k", litellmTeamId("EU West", "other"), "k"],
    [
      "same name, other region",
      TEAM,
      "k",
      litellmTeamId("US", "0b6f4c1e-9a57-4c43-8d7e-2f1a5b3c9d10"),
      "k",
    ],
  ])("%s differ", (_label, teamA, nameA, teamB, nameB) => {
    expect(litellmKeyAlias(teamA, nameA)).not.toBe(litellmKeyAlias(teamB, nameB));
  });

  it("has no collision among 20,000 names of one team", () => {
    const aliases = new Set<string>();
    for (let i = 0; i < 20_000; i++) aliases.add(litellmKeyAlias(TEAM, `key ${i}`));
    expect(aliases.size).toBe(20_000);
  });

  // Aliases are stored on the proxies and recomputed by reconciliation: the hash must never
  // change. Values computed by the first (BigInt) implementation.
  it.each([
    ["EU_West_team", "v2.beta release", "EU_West_team/v2.beta_release-62ad3372cf2e"],
    ["r_t", "émile ☃ 🦊", "r_t/_mile_____-faa3672437c9"],
    ["r_t", "", "r_t/-00e9cf1f0306"],
  ])("litellmKeyAlias(%j, %j) stays %j", (team, name, alias) => {
    expect(litellmKeyAlias(team, name)).toBe(alias);
  });
});

describe("gatehouseTeamIdInAnyRegion", () => {
  const id = "0b6f1c2e-3a4d-4e5f-8a9b-0c1d2e3f4a5b";
  it.each([
    [litellmTeamId("eu west", id), id],
    [litellmTeamId("us_east 2", id.toUpperCase()), id],
    [`eu_west_${id}x`, null],
    ["eu_west_team-a", null],
    [id, null],
  ])("%s -> %s", (liteLLMTeamId, expected) => {
    expect(gatehouseTeamIdInAnyRegion(liteLLMTeamId)).toBe(expected);
  });
});
