import { describe, expect, it } from "vitest";
import {
  ZBlockLevel,
  ZId,
  ZMergeStrategy,
  ZOrgRole,
  ZProductAttachmentStatus,
  ZServiceTokenScope,
  ZTeamRole,
} from "./validators.ts";

describe("shared validators (API schemas and web forms accept the same values)", () => {
  it.each([
    ["a UUID", "6f1c2a4e-8d3b-4f7a-9c2e-1b5d7e9f0a3c", true],
    ["a UUID in upper case", "6F1C2A4E-8D3B-4F7A-9C2E-1B5D7E9F0A3C", true],
    ["an empty string", "", false],
    ["a number-like id", "12345", false],
    ["a UUID with a tail", "6f1c2a4e-8d3b-4f7a-9c2e-1b5d7e9f0a3c'--", false],
  ])("id: %s", (_what, id, ok) => {
    expect(ZId.safeParse(id).success).toBe(ok);
  });

  it("refuses a bad id with the API's field message", () => {
    const result = ZId.safeParse("nope");
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe("must be a valid id");
  });

  it.each([
    [ZTeamRole, ["ADMIN", "KEY_CREATOR", "MEMBER", "READ_ONLY"], ["ORG_ADMIN", "admin", ""]],
    [ZOrgRole, ["ORG_ADMIN", "MEMBER"], ["ADMIN", "KEY_CREATOR", "member"]],
    [ZMergeStrategy, ["cancel", "delete", "rename"], ["CANCEL", "keep", ""]],
    [ZBlockLevel, ["team", "organization", "system"], ["org", "SYSTEM"]],
    [ZProductAttachmentStatus, ["ACTIVE", "CANCELLED", "LAPSED"], ["active", "EXPIRED"]],
    [ZServiceTokenScope, ["admin", "organization"], ["ADMIN", "team"]],
  ] as const)("%# accepts exactly its values", (schema, accepted, refused) => {
    for (const value of accepted) expect(schema.safeParse(value).success).toBe(true);
    for (const value of refused) expect(schema.safeParse(value).success).toBe(false);
    expect([...schema.options].sort()).toEqual([...accepted].sort());
  });
});
