import { describe, expect, it } from "vitest";
import { mergeSyncJobs } from "./merge-jobs.ts";
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
  regions: new Map([["r-eu", { name: "EU West" }], ["r-us", { name: "US" }]]),
  keys: new Map([
    ["k1", { token: "tok1", ownerUserId: "u1" }],
    ["k2", { token: "tok2", ownerUserId: "u2" }],
    ["k3", { token: "tok3", ownerUserId: "u1" }],
    ["k4", { token: null, ownerUserId: "u1" }],
  ]),
  resultRoles: new Map([["u1", "ADMIN"]]),
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
    expect(eu[1]!.payload).toEqual({ teamId: "EU_West_tgt", members: [{ userId: "u1", role: "admin" }] });
    expect(eu[2]!.payload).toEqual({
      keyToken: "tok1",
      teamId: "EU_West_tgt",
      teamAlias: "Target",
      keyAlias: "EU_West_tgt/a",
      ownerUserId: "u1",
    });
  });

  it("gives each region its own group and team identity", () => {
    const us = jobs.filter((j) => j.groupKey === "merge:m1:r-us");
    expect(us.map((j) => j.kind)).toEqual(["litellm.ensureTeam", "litellm.addMembers", "litellm.moveKey"]);
    expect(us[1]!.payload).toEqual({ teamId: "US_tgt", members: [{ userId: "u2", role: "user" }] });
  });

  it("deletes conflicting keys without ordering, and skips keys never created on LiteLLM", () => {
    const deletes = jobs.filter((j) => j.kind === "litellm.deleteKey");
    expect(deletes).toEqual([
      { kind: "litellm.deleteKey", payload: { keyToken: "tok3" }, groupKey: null, stage: 0, regionId: "r-eu", apiKeyId: "k3" },
    ]);
    expect(jobs.some((j) => j.apiKeyId === "k4")).toBe(false);
  });
});
