import { describe, expect, it } from "vitest";
import { assertTeamKeepsAdmin, leavesTeamWithoutAdmin } from "./team-admins.ts";

describe("leavesTeamWithoutAdmin", () => {
  const cases: Array<{
    name: string;
    adminsNow: number;
    membersNow: number;
    from: "ADMIN" | "MEMBER" | "KEY_CREATOR" | "READ_ONLY";
    to: "ADMIN" | "MEMBER" | "KEY_CREATOR" | "READ_ONLY" | null;
    manages: boolean;
    refused: boolean;
  }> = [
    {
      name: "last admin leaves, others stay",
      adminsNow: 1,
      membersNow: 3,
      from: "ADMIN",
      to: null,
      manages: false,
      refused: true,
    },
    {
      name: "last admin demotes self",
      adminsNow: 1,
      membersNow: 1,
      from: "ADMIN",
      to: "MEMBER",
      manages: false,
      refused: true,
    },
    {
      name: "last admin leaves an otherwise empty team",
      adminsNow: 1,
      membersNow: 1,
      from: "ADMIN",
      to: null,
      manages: false,
      refused: false,
    },
    {
      name: "one of two admins leaves",
      adminsNow: 2,
      membersNow: 4,
      from: "ADMIN",
      to: null,
      manages: false,
      refused: false,
    },
    {
      name: "a member leaves",
      adminsNow: 1,
      membersNow: 3,
      from: "MEMBER",
      to: null,
      manages: false,
      refused: false,
    },
    {
      name: "admin stays admin",
      adminsNow: 1,
      membersNow: 3,
      from: "ADMIN",
      to: "ADMIN",
      manages: false,
      refused: false,
    },
    {
      name: "org admin removes the last admin",
      adminsNow: 1,
      membersNow: 3,
      from: "ADMIN",
      to: null,
      manages: true,
      refused: false,
    },
    {
      name: "org admin demotes the last admin",
      adminsNow: 1,
      membersNow: 3,
      from: "ADMIN",
      to: "READ_ONLY",
      manages: true,
      refused: false,
    },
  ];
  it.each(cases)("$name", (c) => {
    const change = {
      adminsNow: c.adminsNow,
      membersNow: c.membersNow,
      from: c.from,
      to: c.to,
      callerManagesTeam: c.manages,
    };
    expect(leavesTeamWithoutAdmin(change)).toBe(c.refused);
    if (c.refused) expect(() => assertTeamKeepsAdmin(change)).toThrow(/make another member ADMIN/);
    else expect(() => assertTeamKeepsAdmin(change)).not.toThrow();
  });
});
