import { describe, expect, it } from "vitest";
import {
  compareKey,
  differenceCount,
  emptyReport,
  expectedKeyPlacement,
  gatehouseKeyIdOf,
  recordDifference,
  type ReconcileExample,
} from "./reconcile.ts";

describe("gatehouseKeyIdOf", () => {
  it.each([
    [{ gatehouse_key_id: "k1", gatehouse_team_id: "t1" }, "k1"],
    [{ gatehouse: { keyId: "k2", teamId: "t" } }, "k2"],
    [{ gatehouse_key_id: "" }, null],
    [{ gatehouse_key_id: 42 }, null],
    [{ gatehouse: "k3" }, null],
    [{ team: "core-infra" }, null],
    [{}, null],
    [null, null],
    [undefined, null],
  ])("%j -> %s", (metadata, expected) => {
    expect(gatehouseKeyIdOf(metadata as Record<string, unknown> | null | undefined)).toBe(expected);
  });
});

describe("compareKey", () => {
  const expected = expectedKeyPlacement("eu west", "t1", "prod");
  it.each([
    ["in step", { teamId: expected.litellmTeamId, keyAlias: expected.keyAlias }, null],
    ["other team", { teamId: "eu_west_t2", keyAlias: expected.keyAlias }, "key_wrong_team"],
    [
      "other team and alias: one difference",
      { teamId: "eu_west_t2", keyAlias: "x" },
      "key_wrong_team",
    ],
    ["no team", { teamId: null, keyAlias: expected.keyAlias }, "key_wrong_team"],
    ["alias changed", { teamId: expected.litellmTeamId, keyAlias: "renamed" }, "alias_drift"],
    ["alias removed", { teamId: expected.litellmTeamId, keyAlias: null }, "alias_drift"],
  ] as const)("%s", (_name, actual, kind) => {
    expect(compareKey(expected, actual)).toBe(kind);
  });

  it("expects the core team identity", () => {
    expect(expected.litellmTeamId).toBe("eu_west_t1");
  });
});

describe("report", () => {
  const example = (
    kind: ReconcileExample["kind"],
    restorable: boolean | null = null,
  ): ReconcileExample => ({
    kind,
    teamId: null,
    keyId: null,
    keyName: null,
    keyTokenPrefix: null,
    expected: null,
    actual: null,
    restorable,
  });

  it("counts every difference, keeps at most `limit` examples per kind", () => {
    const report = emptyReport();
    for (let i = 0; i < 5; i++) recordDifference(report, example("orphan_key"), 2);
    recordDifference(report, example("key_missing", false), 2);
    recordDifference(report, example("key_missing", true), 2);
    expect(report.counts.orphan_key).toBe(5);
    expect(report.examples.orphan_key).toHaveLength(2);
    expect(report.counts.key_missing).toBe(2);
    expect(report.notRestorable).toBe(1);
    expect(differenceCount(report)).toBe(7);
  });
});
