import { describe, expect, it } from "vitest";
import type { Actor } from "./actor.ts";
import { disclosesPlatformFacts, userVisibility, type UserVisibility } from "./user-visibility.ts";

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

describe("userVisibility", () => {
  it.each<[string, Actor, UserVisibility, boolean]>([
    ["system admin", person(true), { kind: "everyone" }, true],
    ["admin-scoped token", token(true), { kind: "everyone" }, true],
    ["org admin", person(false, ["o1"]), { kind: "sharesOrganizationWith", userId: "u1" }, false],
    [
      "team admin or member",
      person(false),
      { kind: "sharesOrganizationWith", userId: "u1" },
      false,
    ],
    [
      "org-scoped token",
      token(false, ["o1"]),
      { kind: "membersOf", organizationIds: ["o1"] },
      false,
    ],
    ["token with no rights left", token(false), { kind: "membersOf", organizationIds: [] }, false],
  ])("%s", (_name, actor, visibility, discloses) => {
    expect(userVisibility(actor)).toEqual(visibility);
    expect(disclosesPlatformFacts(actor)).toBe(discloses);
  });
});
