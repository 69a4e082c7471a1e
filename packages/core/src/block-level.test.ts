import { describe, expect, it } from "vitest";
import type { Actor } from "./actor.ts";
import {
  blockLevelOf,
  mayLiftBlock,
  placeBlock,
  placedAbove,
  placedBy,
  type BlockLevel,
} from "./block-level.ts";
import { DomainError } from "./errors.ts";
import type { TeamRole } from "./roles.ts";

const person = (isSystemAdmin: boolean, adminOrgIds: string[] = []): Actor => ({
  kind: "user",
  userId: "u1",
  isSystemAdmin,
  adminOrgIds,
  sessionId: "s1",
});
const token = (isSystemAdmin: boolean, adminOrgIds: string[] = []): Actor => ({
  kind: "service",
  serviceTokenId: "t1",
  isSystemAdmin,
  adminOrgIds,
});

describe("blockLevelOf", () => {
  it.each<[string, Actor, string | null, TeamRole | null, BlockLevel | null]>([
    ["system admin", person(true), "o1", null, "system"],
    ["admin-scoped token", token(true), null, null, "system"],
    ["org admin of the team's organization", person(false, ["o1"]), "o1", "MEMBER", "organization"],
    ["org token of the team's organization", token(false, ["o1"]), "o1", null, "organization"],
    [
      "org admin of another organization, team ADMIN here",
      person(false, ["o2"]),
      "o1",
      "ADMIN",
      "team",
    ],
    ["team ADMIN", person(false), "o1", "ADMIN", "team"],
    ["team ADMIN of a team without organization", person(false), null, "ADMIN", "team"],
    ["KEY_CREATOR", person(false), "o1", "KEY_CREATOR", null],
    ["MEMBER", person(false), "o1", "MEMBER", null],
    ["nobody in the team", person(false), "o1", null, null],
  ])("%s", (_name, actor, organizationId, callerRole, level) => {
    expect(blockLevelOf(actor, { organizationId, callerRole })).toBe(level);
  });
});

describe("mayLiftBlock", () => {
  it.each<[BlockLevel | null, BlockLevel | null, boolean]>([
    ["team", "team", true],
    ["team", "organization", false],
    ["team", "system", false],
    ["organization", "team", true],
    ["organization", "organization", true],
    ["organization", "system", false],
    ["system", "team", true],
    ["system", "organization", true],
    ["system", "system", true],
    // Placed before levels were recorded: the old rule, anyone who may block.
    ["team", null, true],
    // Someone who may not block lifts nothing.
    [null, null, false],
    [null, "team", false],
  ])("caller %s, placed at %s: %s", (caller, placed, allowed) => {
    expect(mayLiftBlock(caller, placed)).toBe(allowed);
  });
});

describe("placeBlock", () => {
  it.each<[BlockLevel, BlockLevel | null | undefined, "insert" | "raise" | "keep"]>([
    ["team", undefined, "insert"],
    ["system", undefined, "insert"],
    ["organization", "team", "raise"],
    ["system", "organization", "raise"],
    ["team", null, "raise"],
    ["team", "team", "keep"],
    ["team", "organization", "keep"],
    ["organization", "system", "keep"],
  ])("caller %s over %s: %s", (caller, existing, outcome) => {
    expect(placeBlock(caller, existing)).toBe(outcome);
  });
});

describe("placedAbove", () => {
  it.each<[BlockLevel, string]>([
    ["system", "This block was placed by a system admin; only a system admin or above can lift it"],
    [
      "organization",
      "This block was placed by a organization admin; only a organization admin or above can lift it",
    ],
    ["team", "This block was placed by a team admin; only a team admin or above can lift it"],
  ])("placed at %s", (level, message) => {
    const error = placedAbove(level);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: "FORBIDDEN", message, details: { level } });
  });
});

describe("placedBy", () => {
  it.each<[string, Actor, ReturnType<typeof placedBy>]>([
    ["a person", person(false), { placedByUserId: "u1", placedByServiceTokenId: null }],
    ["a system admin", person(true), { placedByUserId: "u1", placedByServiceTokenId: null }],
    [
      "a service token",
      token(false, ["o1"]),
      { placedByUserId: null, placedByServiceTokenId: "t1" },
    ],
    ["an admin-scoped token", token(true), { placedByUserId: null, placedByServiceTokenId: "t1" }],
  ])("%s", (_name, actor, row) => {
    expect(placedBy(actor)).toEqual(row);
  });
});
