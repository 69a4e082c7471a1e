import { describe, expect, it } from "vitest";
import { litellmKeyAlias } from "./litellm-identity.ts";
import { teamRenameJobs } from "./job-specs.ts";
import { mergeCleanupJobs, mergeSyncJobs } from "./merge-jobs.ts";
import { planMerge } from "./merge-plan.ts";

const plan = planMerge({
  source: { id: "src", name: "Source" },
  sourceKeys: [
    { id: "k1", name: "a", regionId: "r-eu" },
    { id: "k2", name: "b", regionId: "r-us" },
    { id: "k3", name: "dup", regionId: "r-eu" },
    { id: "k4", name: "never-synced", regionId: "r-eu" },
  ],
  targetKeys: [{ id: "t1", name: "dup" }],
  sourceMembers: [],
  targetMembers: [],
  strategy: "delete",
});

const jobs = mergeSyncJobs(plan, {
  mergeId: "m1",
  target: { id: "tgt", name: "Target" },
  regions: new Map([
    ["r-eu", { name: "EU West" }],
    ["r-us", { name: "US" }],
  ]),
  keys: new Map([
    ["k1", { token: "tok1", ownerUserId: "u1" }],
    ["k2", { token: "tok2", ownerUserId: "u2" }],
    ["k3", { token: "tok3", ownerUserId: "u1" }],
    ["k4", { token: null, ownerUserId: "u1" }],
  ]),
});

describe("mergeSyncJobs", () => {
  it("orders each region's work: ensure team, add owners, move keys", () => {
    const eu = jobs.filter((j) => j.groupKey === "merge:m1:r-eu");
    expect(eu.map((j) => [j.kind, j.stage])).toEqual([
      ["litellm.ensureTeam", 0],
      ["litellm.addMembers", 1],
      ["litellm.moveKey", 2],
    ]);
    expect(eu[0]!.payload).toEqual({ teamId: "EU_West_tgt", teamAlias: "Target" });
    // u1 is an ADMIN of the merged team in Gatehouse, yet a plain member on LiteLLM:
    // team admins are Enterprise-only there, and Gatehouse needs none.
    expect(eu[1]!.payload).toEqual({
      teamId: "EU_West_tgt",
      teamAlias: "Target",
      members: [{ userId: "u1", role: "user" }],
    });
    expect(eu[2]!.payload).toEqual({
      keyToken: "tok1",
      teamId: "EU_West_tgt",
      teamAlias: "Target",
      keyAlias: litellmKeyAlias("EU_West_tgt", "a"),
      ownerUserId: "u1",
    });
  });

  it("gives each region its own group and team identity", () => {
    const us = jobs.filter((j) => j.groupKey === "merge:m1:r-us");
    expect(us.map((j) => j.kind)).toEqual([
      "litellm.ensureTeam",
      "litellm.addMembers",
      "litellm.moveKey",
    ]);
    expect(us[1]!.payload).toEqual({
      teamId: "US_tgt",
      teamAlias: "Target",
      members: [{ userId: "u2", role: "user" }],
    });
  });

  it("deletes conflicting keys without ordering, and skips keys never created on LiteLLM", () => {
    const deletes = jobs.filter((j) => j.kind === "litellm.deleteKey");
    expect(deletes).toEqual([
      {
        kind: "litellm.deleteKey",
        payload: { keyToken: "tok3" },
        groupKey: null,
        stage: 0,
        regionId: "r-eu",
        apiKeyId: "k3",
      },
    ]);
    expect(jobs.some((j) => j.apiKeyId === "k4")).toBe(false);
  });
});

describe("mergeCleanupJobs", () => {
  it("deletes the source team on every region, after that region's key moves", () => {
    const cleanup = mergeCleanupJobs(
      "m1",
      "src",
      new Map([
        ["r-us", { name: "US" }],
        ["r-eu", { name: "EU West" }],
        ["r-ap", { name: "AP" }],
      ]),
    );
    expect(cleanup).toEqual([
      {
        kind: "litellm.deleteTeam",
        payload: { teamId: "AP_src" },
        groupKey: "merge:m1:r-ap",
        stage: 3,
        regionId: "r-ap",
        apiKeyId: null,
      },
      {
        kind: "litellm.deleteTeam",
        payload: { teamId: "EU_West_src" },
        groupKey: "merge:m1:r-eu",
        stage: 3,
        regionId: "r-eu",
        apiKeyId: null,
      },
      {
        kind: "litellm.deleteTeam",
        payload: { teamId: "US_src" },
        groupKey: "merge:m1:r-us",
        stage: 3,
        regionId: "r-us",
        apiKeyId: null,
      },
    ]);
    const moves = jobs.filter((j) => j.groupKey === "merge:m1:r-eu").map((j) => j.stage);
    expect(Math.max(...moves)).toBeLessThan(cleanup[1]!.stage);
  });
});

describe("teamRenameJobs", () => {
  it("updates the alias on every region, each with that region's team identity", () => {
    expect(
      teamRenameJobs(
        { id: "t", name: "New name" },
        new Map([
          ["r-us", { name: "US" }],
          ["r-eu", { name: "EU West" }],
        ]),
      ),
    ).toEqual([
      {
        kind: "litellm.updateTeam",
        payload: { teamId: "EU_West_t", gatehouseTeamId: "t", teamAlias: "New name" },
        groupKey: null,
        stage: 0,
        regionId: "r-eu",
        apiKeyId: null,
      },
      {
        kind: "litellm.updateTeam",
        payload: { teamId: "US_t", gatehouseTeamId: "t", teamAlias: "New name" },
        groupKey: null,
        stage: 0,
        regionId: "r-us",
        apiKeyId: null,
      },
    ]);
  });
});
