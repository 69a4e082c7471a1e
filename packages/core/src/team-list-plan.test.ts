import { describe, expect, it } from "vitest";
import type { Actor } from "./actor.ts";
import { DomainError } from "./errors.ts";
import {
  MAX_ORG_BRANCHES,
  planTeamList,
  type TeamListPlan,
  type TeamListScopeFilters,
} from "./team-list-plan.ts";

const user = (id: string, adminOrgIds: string[] = []): Actor => ({
  kind: "user",
  userId: id,
  isSystemAdmin: false,
  adminOrgIds,
  sessionId: "s",
});
const admin: Actor = {
  kind: "user",
  userId: "root",
  isSystemAdmin: true,
  adminOrgIds: [],
  sessionId: "s",
};
const adminToken: Actor = {
  kind: "service",
  serviceTokenId: "t",
  isSystemAdmin: true,
  adminOrgIds: [],
};
const orgToken: Actor = {
  kind: "service",
  serviceTokenId: "t",
  isSystemAdmin: false,
  adminOrgIds: ["A"],
};

const q = (
  branches: Extract<TeamListPlan, { kind: "query" }>["branches"],
  rest: Partial<Extract<TeamListPlan, { kind: "query" }>> = {},
): TeamListPlan => ({
  kind: "query",
  branches,
  visibleTo: null,
  organizationId: null,
  requireMembershipInOrganization: null,
  ...rest,
});

type Row = [string, Actor, TeamListScopeFilters, TeamListPlan | "FORBIDDEN"];

const rows: Row[] = [
  ["admin, no filters: every team", admin, {}, q([{ kind: "all" }])],
  ["admin token acts as admin", adminToken, {}, q([{ kind: "all" }])],
  [
    "admin by organization",
    admin,
    { organizationId: "B" },
    q([{ kind: "org", organizationId: "B" }]),
  ],
  ["admin by user", admin, { userId: "u9" }, q([{ kind: "member", userId: "u9" }])],
  [
    "admin by user and organization",
    admin,
    { userId: "u9", organizationId: "B" },
    q([{ kind: "member", userId: "u9" }], { organizationId: "B" }),
  ],
  // LiteLLM's regression: the org admin sees all teams of their orgs, not only their own.
  [
    "org admin of A and C, no filters: every team of A and C plus own teams",
    user("u1", ["A", "C"]),
    {},
    q([
      { kind: "org", organizationId: "A" },
      { kind: "org", organizationId: "C" },
      { kind: "member", userId: "u1" },
    ]),
  ],
  // LiteLLM's regression: admin in A, plain member in B: B's teams they belong to stay visible.
  [
    "org admin in A who is a member elsewhere keeps the member branch",
    user("u1", ["A"]),
    {},
    q([
      { kind: "org", organizationId: "A" },
      { kind: "member", userId: "u1" },
    ]),
  ],
  ["plain member: own teams", user("u2"), {}, q([{ kind: "member", userId: "u2" }])],
  [
    "org admin filtering their org",
    user("u1", ["A"]),
    { organizationId: "A" },
    q([{ kind: "org", organizationId: "A" }]),
  ],
  [
    "org admin filtering an org they only belong to: own teams there, checked",
    user("u1", ["A"]),
    { organizationId: "B" },
    q([{ kind: "member", userId: "u1" }], {
      organizationId: "B",
      requireMembershipInOrganization: { organizationId: "B", userId: "u1" },
    }),
  ],
  [
    "member filtering an org: own teams there, checked",
    user("u2"),
    { organizationId: "B" },
    q([{ kind: "member", userId: "u2" }], {
      organizationId: "B",
      requireMembershipInOrganization: { organizationId: "B", userId: "u2" },
    }),
  ],
  [
    "member asking for own teams by userId",
    user("u2"),
    { userId: "u2" },
    q([{ kind: "member", userId: "u2" }]),
  ],
  // LiteLLM's regression: userId cannot widen an org admin's reach.
  [
    "org admin asking about another user: that user's teams inside the caller's visible set",
    user("u1", ["A"]),
    { userId: "u7" },
    q([{ kind: "member", userId: "u7" }], {
      visibleTo: { organizationIds: ["A"], memberUserId: "u1" },
    }),
  ],
  ["member asking about another user", user("u2"), { userId: "u7" }, "FORBIDDEN"],
  ["org token: its organization", orgToken, {}, q([{ kind: "org", organizationId: "A" }])],
  ["org token filtering another org", orgToken, { organizationId: "B" }, "FORBIDDEN"],
  [
    "org token asking about a user: inside its org only",
    orgToken,
    { userId: "u7" },
    q([{ kind: "member", userId: "u7" }], {
      visibleTo: { organizationIds: ["A"], memberUserId: null },
    }),
  ],
];

describe("planTeamList", () => {
  it.each(rows)("%s", (_name, actor, filters, expected) => {
    if (expected === "FORBIDDEN") {
      expect(() => planTeamList(actor, filters)).toThrow(DomainError);
      try {
        planTeamList(actor, filters);
      } catch (error) {
        expect((error as DomainError).code).toBe("FORBIDDEN");
      }
    } else {
      expect(planTeamList(actor, filters)).toEqual(expected);
    }
  });

  it("an org-scoped token with no organization sees nothing, without a query", () => {
    const none: Actor = {
      kind: "service",
      serviceTokenId: "t",
      isSystemAdmin: false,
      adminOrgIds: [],
    };
    expect(planTeamList(none, {})).toEqual({ kind: "empty" });
  });

  it("collapses many administered organizations into one branch", () => {
    const orgs = Array.from({ length: MAX_ORG_BRANCHES + 1 }, (_, i) => `o${i}`);
    expect(planTeamList(user("u1", orgs), {})).toEqual(
      q([
        { kind: "orgs", organizationIds: orgs },
        { kind: "member", userId: "u1" },
      ]),
    );
  });

  it("no non-admin plan ever contains the unrestricted branch", () => {
    const actors = [user("u1", ["A"]), user("u2"), orgToken];
    const filterSets: TeamListScopeFilters[] = [
      {},
      { organizationId: "A" },
      { userId: "u1" },
      { userId: "u9" },
    ];
    for (const actor of actors)
      for (const filters of filterSets) {
        let plan: TeamListPlan;
        try {
          plan = planTeamList(actor, filters);
        } catch {
          continue;
        }
        if (plan.kind === "query") expect(plan.branches.some((b) => b.kind === "all")).toBe(false);
      }
  });
});
