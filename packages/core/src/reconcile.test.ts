import { describe, expect, it } from "vitest";
import { UNLIMITED } from "./entitlements.ts";
import {
  blockDrift,
  compareKey,
  describeTeamLimits,
  keyRoutesDrift,
  proxyTeamLimitsOf,
  teamLimitsDrift,
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

describe("teamLimitsDrift", () => {
  const entitlement = {
    ...UNLIMITED,
    maxBudgetUsd: 1000,
    budgetDuration: "30d",
    rpmLimit: 60,
    tpmLimit: null,
    models: ["gpt-4o", "claude"],
  };
  const inStep = {
    maxBudget: 1000,
    budgetDuration: "30d",
    tpmLimit: null,
    rpmLimit: 60,
    models: ["claude", "gpt-4o"],
  };
  it.each([
    ["in step (models in another order)", {}, []],
    ["budget raised by hand", { maxBudget: 5000 }, ["max_budget"]],
    ["budget removed", { maxBudget: null }, ["max_budget"]],
    ["period changed", { budgetDuration: "7d" }, ["budget_duration"]],
    ["rate limit lifted", { rpmLimit: null }, ["rpm_limit"]],
    ["token limit added", { tpmLimit: 10 }, ["tpm_limit"]],
    ["all models", { models: [] }, ["models"]],
    ["one model more", { models: ["claude", "gpt-4o", "o1"] }, ["models"]],
    [
      "a bare team (re-created without limits)",
      { maxBudget: null, budgetDuration: null, rpmLimit: null, models: [] },
      ["max_budget", "budget_duration", "rpm_limit", "models"],
    ],
  ] as const)("%s", (_name, change, fields) => {
    expect(teamLimitsDrift(entitlement, { ...inStep, ...change })).toEqual(fields);
  });

  it("no budget: a period left on the proxy is a difference (the push clears it)", () => {
    expect(
      teamLimitsDrift(
        { ...UNLIMITED, budgetDuration: "30d" },
        { maxBudget: null, budgetDuration: null, tpmLimit: null, rpmLimit: null, models: [] },
      ),
    ).toEqual([]);
    expect(
      teamLimitsDrift(UNLIMITED, {
        maxBudget: null,
        budgetDuration: "30d",
        tpmLimit: null,
        rpmLimit: null,
        models: [],
      }),
    ).toEqual(["budget_duration"]);
  });

  it("describes the differing fields on both sides", () => {
    const actual = { ...inStep, maxBudget: null, models: [] };
    const fields = teamLimitsDrift(entitlement, actual);
    expect(describeTeamLimits(proxyTeamLimitsOf(entitlement), fields)).toBe(
      "max_budget=1000, models=claude|gpt-4o",
    );
    expect(describeTeamLimits(actual, fields)).toBe("max_budget=none, models=all");
  });
});

describe("blockDrift", () => {
  it.each([
    [[], false, null],
    [["manual"], true, null],
    [["manual", "expired"], true, null],
    [["manual"], false, { expected: "blocked", actual: "unblocked" }],
    [["owner_disabled"], false, { expected: "blocked", actual: "unblocked" }],
    [[], true, { expected: "unblocked", actual: "blocked" }],
  ] as const)("reasons %j, blocked on proxy %s -> %j", (reasons, blocked, drift) => {
    expect(blockDrift(reasons, blocked)).toEqual(drift);
  });
});

describe("keyRoutesDrift", () => {
  it.each([
    [["llm_api_routes"], false],
    [[], true],
    [["llm_api_routes", "info_routes"], true],
    [["/team/info"], true],
  ] as const)("%j -> %s", (routes, drift) => {
    expect(keyRoutesDrift(routes)).toBe(drift);
  });
});
