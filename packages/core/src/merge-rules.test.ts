import { describe, expect, it } from "vitest";
import { isDomainError } from "./errors.ts";
import {
  mergeBlockers,
  mergeSummary,
  mergeWarnings,
  planFromFacts,
  type MergeRequest,
  type MergeRuleFacts,
} from "./merge-rules.ts";

const facts = (over: Partial<MergeRuleFacts> = {}): MergeRuleFacts => ({
  source: { id: "src", name: "Data Science", organizationId: "org-a" },
  target: { id: "tgt", name: "Platform", organizationId: "org-a" },
  sourceKeys: [
    { id: "s1", name: "shared", regionId: "eu" },
    { id: "s2", name: "only-source", regionId: "us" },
  ],
  targetKeys: [{ id: "t1", name: "shared" }],
  sourceMembers: [
    { userId: "u1", role: "ADMIN" },
    { userId: "u2", role: "MEMBER" },
    { userId: "u3", role: "READ_ONLY" },
  ],
  targetMembers: [
    { userId: "u1", role: "MEMBER" },
    { userId: "u3", role: "KEY_CREATOR" },
  ],
  sourceActiveProducts: [],
  regions: new Map([
    ["eu", { name: "eu", isActive: true }],
    ["us", { name: "us", isActive: true }],
  ]),
  ...over,
});

const request = (over: Partial<MergeRequest> = {}): MergeRequest => ({
  sourceTeamId: "src",
  targetTeamId: "tgt",
  strategy: "rename",
  allowCrossOrganization: false,
  ...over,
});

const otherOrg = { target: { id: "tgt", name: "Platform", organizationId: "org-b" } };
const products = { sourceActiveProducts: [{ id: "p1", name: "Pro" }] };

describe("mergeBlockers", () => {
  it.each([
    ["nothing in the way", {}, {}, []],
    ["active products", products, {}, ["active_products"]],
    ["different organizations", otherOrg, {}, ["cross_organization"]],
    ["different organizations, allowed", otherOrg, { allowCrossOrganization: true }, []],
    ["cancel with a name conflict", {}, { strategy: "cancel" as const }, ["key_conflicts"]],
    ["delete with a name conflict", {}, { strategy: "delete" as const }, []],
    [
      "everything at once, in a fixed order",
      { ...products, ...otherOrg },
      { strategy: "cancel" as const },
      ["active_products", "cross_organization", "key_conflicts"],
    ],
  ] satisfies Array<[string, Partial<MergeRuleFacts>, Partial<MergeRequest>, string[]]>)(
    "%s",
    (_what, factsOver, requestOver, kinds) => {
      const f = facts(factsOver);
      const r = request(requestOver);
      const blockers = mergeBlockers(f, planFromFacts(f, r), r);
      expect(blockers.map((b) => b.kind)).toEqual(kinds);
    },
  );

  it.each([
    [
      "active products",
      products,
      {},
      "PRECONDITION_FAILED",
      { products: [{ id: "p1", name: "Pro" }] },
    ],
    [
      "different organizations",
      otherOrg,
      {},
      "PRECONDITION_FAILED",
      { reason: "cross_organization" },
    ],
    [
      "a name conflict under cancel",
      {},
      { strategy: "cancel" as const },
      "CONFLICT",
      { conflicts: [{ name: "shared", sourceKeyId: "s1", targetKeyId: "t1" }] },
    ],
  ] satisfies Array<
    [string, Partial<MergeRuleFacts>, Partial<MergeRequest>, string, Record<string, unknown>]
  >)("the merge refuses %s with the details a client acts on", (_what, fo, ro, code, details) => {
    const f = facts(fo);
    const r = request(ro);
    const [first] = mergeBlockers(f, planFromFacts(f, r), r);
    const error = first?.error();
    expect(isDomainError(error)).toBe(true);
    expect(error?.code).toBe(code);
    expect(error?.details).toEqual(details);
  });

  it("names the products in the preview's message", () => {
    const f = facts(products);
    const [blocker] = mergeBlockers(f, planFromFacts(f, request()), request());
    expect(blocker?.message).toBe("The source team has active products (Pro); detach them first");
  });
});

describe("mergeWarnings", () => {
  const deleted = 'The source team "Data Science" will be deleted.';
  const inactive = (n: number) =>
    `${n} key(s) are in inactive regions: they move in Gatehouse now and sync to LiteLLM when the region is active again.`;
  const crossOrg =
    "The teams belong to different organizations; the merged team stays in the target's organization.";
  const usInactive = {
    regions: new Map([
      ["eu", { name: "eu", isActive: true }],
      ["us", { name: "us", isActive: false }],
    ]),
  };

  it.each([
    ["always: the source goes", {}, {}, [deleted]],
    ["a moving key in an inactive region", usInactive, {}, [deleted, inactive(1)]],
    ["a region not found counts as inactive", { regions: new Map() }, {}, [deleted, inactive(2)]],
    [
      "a deleted key does not move",
      usInactive,
      { strategy: "delete" as const },
      [deleted, inactive(1)],
    ],
    [
      "cross-organization, allowed",
      otherOrg,
      { allowCrossOrganization: true },
      [deleted, crossOrg],
    ],
    ["cross-organization, not allowed: a blocker, not a warning", otherOrg, {}, [deleted]],
  ] satisfies Array<[string, Partial<MergeRuleFacts>, Partial<MergeRequest>, string[]]>)(
    "%s",
    (_what, factsOver, requestOver, warnings) => {
      const f = facts(factsOver);
      const r = request(requestOver);
      expect(mergeWarnings(f, planFromFacts(f, r), r)).toEqual(warnings);
    },
  );
});

describe("mergeSummary", () => {
  it.each([
    [
      "rename",
      { strategy: "rename" as const },
      { movedKeys: 2, renamedKeys: 1, deletedKeys: 0, conflicts: 1, renameSuffix: null },
    ],
    [
      "rename with a suffix",
      { strategy: "rename" as const, renameSuffix: "_old" },
      { movedKeys: 2, renamedKeys: 1, deletedKeys: 0, conflicts: 1, renameSuffix: "_old" },
    ],
    [
      "delete",
      { strategy: "delete" as const },
      { movedKeys: 1, renamedKeys: 0, deletedKeys: 1, conflicts: 1, renameSuffix: null },
    ],
  ] satisfies Array<[string, Partial<MergeRequest>, Record<string, unknown>]>)(
    "%s",
    (_what, requestOver, counts) => {
      const f = facts();
      const r = request(requestOver);
      expect(mergeSummary(f, planFromFacts(f, r), r, 7)).toEqual({
        strategy: r.strategy,
        source: { id: "src", name: "Data Science", organizationId: "org-a" },
        target: { id: "tgt", name: "Platform", organizationId: "org-a" },
        // u1 keeps ADMIN (upgrade from MEMBER), u2 is new, u3 keeps KEY_CREATOR.
        addedMembers: 1,
        upgradedMembers: 1,
        jobs: 7,
        ...counts,
      });
    },
  );

  it("carries only the teams' ids, names and organizations", () => {
    const f = facts();
    const wide = { ...f, source: { ...f.source, membersCount: 3, organizationName: "A" } };
    const summary = mergeSummary(wide, planFromFacts(wide, request()), request(), 0);
    expect(Object.keys(summary.source)).toEqual(["id", "name", "organizationId"]);
  });
});
