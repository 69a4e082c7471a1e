import { describe, expect, it } from "vitest";
import { isValidKeyName, KEY_NAME_MAX } from "./key-name.ts";
import {
  defaultRenameSuffix,
  planMerge,
  uniqueRenamedKeyName,
  type MergePlanInput,
} from "./merge-plan.ts";

const key = (id: string, name: string) => ({ id, name, regionId: "r1" });
const base: MergePlanInput = {
  source: { id: "src-0000-id", name: "Data Science" },
  sourceKeys: [key("s1", "key1"), key("s2", "key2"), key("s3", "only-source")],
  targetKeys: [
    { id: "t1", name: "key1" },
    { id: "t2", name: "key2" },
    { id: "t3", name: "only-target" },
  ],
  sourceMembers: [],
  targetMembers: [],
  strategy: "rename",
};

describe("planMerge keys", () => {
  it("cancel: reports conflicts, moves nothing conflicting, blocks", () => {
    const plan = planMerge({ ...base, strategy: "cancel" });
    expect(plan.blockedByConflicts).toBe(true);
    expect(plan.conflicts.map((c) => [c.name, c.resolution, c.newName])).toEqual([
      ["key1", "cancel", null],
      ["key2", "cancel", null],
    ]);
  });

  it("cancel without conflicts proceeds", () => {
    const plan = planMerge({ ...base, strategy: "cancel", targetKeys: [] });
    expect(plan.blockedByConflicts).toBe(false);
    expect(plan.keysToMove.map((k) => k.newName)).toEqual(["key1", "key2", "only-source"]);
  });

  it("delete: conflicting source keys are deleted, the rest move", () => {
    const plan = planMerge({ ...base, strategy: "delete" });
    expect(plan.keysToDelete.map((k) => k.keyId)).toEqual(["s1", "s2"]);
    expect(plan.keysToMove.map((k) => k.keyId)).toEqual(["s3"]);
    expect(plan.blockedByConflicts).toBe(false);
  });

  it("rename: default suffix names the source team", () => {
    const plan = planMerge(base);
    expect(plan.keysToMove.map((k) => [k.name, k.newName])).toEqual([
      ["key1", "key1_from_data-science"],
      ["key2", "key2_from_data-science"],
      ["only-source", "only-source"],
    ]);
  });

  it("rename: a renamed name that is still taken gets a counter", () => {
    const plan = planMerge({
      ...base,
      renameSuffix: "_merged",
      sourceKeys: [key("s1", "key1"), key("s2", "key1_merged")],
      targetKeys: [
        { id: "t1", name: "key1" },
        { id: "t2", name: "key1_merged_2" },
      ],
    });
    // s2 keeps "key1_merged" (no conflict), so s1 cannot take it; _2 exists in the target.
    expect(plan.keysToMove.map((k) => [k.keyId, k.newName])).toEqual([
      ["s1", "key1_merged_3"],
      ["s2", "key1_merged"],
    ]);
  });

  it("rename: every resulting name in the target is unique and valid", () => {
    const long = "k".repeat(KEY_NAME_MAX);
    const sourceKeys = [key("a", long), key("b", "x"), key("c", "x_from_data-science")];
    const targetKeys = [
      { id: "t1", name: long },
      { id: "t2", name: "x" },
    ];
    const plan = planMerge({ ...base, sourceKeys, targetKeys });
    const finalNames = [...targetKeys.map((k) => k.name), ...plan.keysToMove.map((k) => k.newName)];
    expect(new Set(finalNames).size).toBe(finalNames.length);
    for (const name of finalNames) {
      expect(name.length).toBeLessThanOrEqual(KEY_NAME_MAX);
      expect(isValidKeyName(name)).toBe(true);
    }
  });
});

describe("uniqueRenamedKeyName", () => {
  it.each([
    ["key", "_m", [], "key_m"],
    ["key", "_m", ["key_m"], "key_m_2"],
    ["key", "_m", ["key_m", "key_m_2"], "key_m_3"],
    ["k".repeat(64), "_m", [], `${"k".repeat(62)}_m`],
    ["k".repeat(64), "_m", [`${"k".repeat(62)}_m`], `${"k".repeat(60)}_m_2`],
    ["ab  cd", "_x", [], "ab  cd_x"],
  ])("%s + %s (taken %j) -> %s", (name, suffix, taken, expected) => {
    expect(uniqueRenamedKeyName(name, suffix, new Set(taken))).toBe(expected);
  });
});

describe("defaultRenameSuffix", () => {
  it.each([
    ["Data Science", "id", "_from_data-science"],
    ["  !!!  ", "abcdef123456", "_from_abcdef12"],
    ["A very long team name that keeps going on", "id", "_from_a-very-long-team-name-th"],
  ])("%j -> %s", (name, id, expected) => {
    expect(defaultRenameSuffix(name, id)).toBe(expected);
  });
});

describe("planMerge members", () => {
  it.each([
    ["new member is added with their role", "MEMBER", null, "MEMBER", "add"],
    ["higher source role upgrades", "ADMIN", "MEMBER", "ADMIN", "upgrade"],
    ["lower source role keeps the target's", "READ_ONLY", "KEY_CREATOR", "KEY_CREATOR", "keep"],
    ["equal roles keep", "MEMBER", "MEMBER", "MEMBER", "keep"],
  ] as const)("%s", (_name, sourceRole, targetRole, resultRole, action) => {
    const plan = planMerge({
      ...base,
      sourceMembers: [{ userId: "u", role: sourceRole }],
      targetMembers: targetRole ? [{ userId: "u", role: targetRole }] : [],
    });
    expect(plan.members).toEqual([{ userId: "u", sourceRole, targetRole, resultRole, action }]);
  });
});
