/**
 * Gatehouse against what real LiteLLM proxies accept: key names that strict
 * proxies would refuse as aliases, deleting and at once re-creating a key name, and teams
 * kept in step on every region (alias on rename, team deleted once gone from Gatehouse).
 * Real HTTP, a real database, contract servers in the `oss` and `strict-alias` profiles.
 */
import { litellmKeyAlias, litellmTeamId } from "@gatehouse/core";
import { LiteLLMClient } from "@gatehouse/litellm";
import type { ContractServer } from "@gatehouse/litellm/contract-server";
import { runJob } from "../../src/worker/handlers.ts";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type SyncHarness } from "../support/harness.ts";
import { type Credentials, type Out } from "../support/http.ts";
import * as fx from "../support/fixtures.ts";

let h: SyncHarness;
/** A second region whose proxy validates aliases like LiteLLM v1.82.0. */
let strict: ContractServer;
let strictRegion: { id: string; name: string };
let orgId: string;
let admin: { id: string; creds: Credentials };

beforeAll(async () => {
  h = await startHarness({ litellm: { regionName: "eu west", profile: "oss" } });
  ({ litellm: strict, region: strictRegion } = await h.addRegion("strict one", "strict-alias"));
  orgId = await fx.insertOrganization(h.db, "Sync Org");
  admin = await fx.insertUserWithSession(h, { email: "admin@sync.test", isSystemAdmin: true });
});
afterAll(() => h?.close());
afterEach(() => h.resetFaults());

type Created = Out<"keys.create">;

const createKey = (teamId: string, name: string, regionId: string) =>
  h.mutation<Created>("keys.create", { teamId, name, regionId }, { credentials: admin.creds });
const deleteKey = (keyId: string) => h.mutationOk("keys.delete", { keyId }, admin.creds);
const proxyOf = (regionId: string) => (regionId === strictRegion.id ? strict : h.litellm);
const regionName = (regionId: string) =>
  regionId === strictRegion.id ? strictRegion.name : h.region.name;

describe("key names every LiteLLM accepts as aliases", () => {
  for (const [label, regionId] of [
    ["strict-alias (v1.82 format)", () => strictRegion.id],
    ["oss (refuses '..')", () => h.region.id],
  ] as const) {
    it(`${label}: "v2..beta release" and other valid names are created and synced`, async () => {
      const region = regionId();
      const teamId = await fx.insertTeam(h.db, { name: `Alias ${label}`, organizationId: orgId });
      for (const name of ["v2..beta release", "trailing.", "a", "x".repeat(64), "Mixed Case-1.0"]) {
        const res = await createKey(teamId, name, region);
        expect(res.status, `${name}: ${JSON.stringify(res.error)}`).toBe(200);
        const onProxy = proxyOf(region).state.getKey(res.data.secret);
        const alias = litellmKeyAlias(litellmTeamId(regionName(region), teamId), name);
        expect(onProxy).toMatchObject({
          teamId: litellmTeamId(regionName(region), teamId),
          keyAlias: alias,
        });
        expect(alias).not.toContain("..");
      }
    });
  }

  it("a merge moves such a key under the strict proxy with the new team's alias", async () => {
    const S = await fx.insertTeam(h.db, { name: "Strict Source", organizationId: orgId });
    const T = await fx.insertTeam(h.db, { name: "Strict Target", organizationId: orgId });
    const res = await createKey(S, "v2..beta release", strictRegion.id);
    expect(res.status).toBe(200);
    const merged = await h.mutationOk<Out<"teams.merge">>(
      "teams.merge",
      { sourceTeamId: S, targetTeamId: T, strategy: "rename" },
      admin.creds,
    );
    await h.drain();
    const target = litellmTeamId(strictRegion.name, T);
    expect(strict.state.getKey(res.data.secret)).toMatchObject({
      teamId: target,
      keyAlias: litellmKeyAlias(target, "v2..beta release"),
    });
    const st = await h.queryOk<Out<"teams.mergeStatus">>(
      "teams.mergeStatus",
      { mergeId: merged.mergeId },
      admin.creds,
    );
    expect(st.status).toBe("DONE");
  });
});

describe("delete a key, then at once create one with the same name", () => {
  it("answers 200 although the proxy delete was still queued, and the old key is gone from the proxy", async () => {
    const teamId = await fx.insertTeam(h.db, { name: "Recreate Team", organizationId: orgId });
    const first = await createKey(teamId, "ci key", h.region.id);
    expect(first.status).toBe(200);
    // No worker: the proxy delete stays queued, as when the worker is busy or behind.
    await h.stopWorker();
    try {
      await deleteKey(first.data.key.id);
      expect(h.litellm.state.getKey(first.data.secret)).toBeDefined(); // still on the proxy

      const again = await createKey(teamId, "ci key", h.region.id);
      expect(again.status, JSON.stringify(again.error)).toBe(200);
      const alias = litellmKeyAlias(litellmTeamId(h.region.name, teamId), "ci key");
      expect(h.litellm.state.getKey(first.data.secret)).toBeUndefined();
      expect(h.litellm.state.getKey(again.data.secret)).toMatchObject({ keyAlias: alias });
      // The queued delete was settled by the creation, not left to fail or to run again.
      const { rows } = await h.db.pool.query<{ status: string }>(
        `SELECT status FROM jobs WHERE kind = 'litellm.deleteKey' AND api_key_id = $1::uuid`,
        [first.data.key.id],
      );
      expect(rows.map((r) => r.status)).toEqual(["DONE"]);
    } finally {
      h.startWorker();
    }
    // With the worker back, nothing brings the old key back or touches the new one.
    await h.drain();
    expect(h.litellm.state.getKey(first.data.secret)).toBeUndefined();
    expect(h.litellm.state.keys.size).toBeGreaterThan(0);
  });
});

describe("teams kept in step on every region", () => {
  it("renaming a team updates its alias on every region where the proxy has it", async () => {
    const teamId = await fx.insertTeam(h.db, { name: "Before Rename", organizationId: orgId });
    expect((await createKey(teamId, "eu-key", h.region.id)).status).toBe(200);
    expect((await createKey(teamId, "strict-key", strictRegion.id)).status).toBe(200);
    await h.mutationOk("teams.update", { teamId, name: "After Rename" }, admin.creds);
    await h.drain();
    expect(h.litellm.state.getTeam(litellmTeamId(h.region.name, teamId))?.teamAlias).toBe(
      "After Rename",
    );
    expect(strict.state.getTeam(litellmTeamId(strictRegion.name, teamId))?.teamAlias).toBe(
      "After Rename",
    );
    const jobs = await h.db.prisma.job.findMany({ where: { kind: "litellm.updateTeam" } });
    expect(jobs.every((j) => j.status === "DONE")).toBe(true);
  });

  it("two quick renames end with the last name on the proxy whatever order the jobs run in", async () => {
    const teamId = await fx.insertTeam(h.db, { name: "Quick 0", organizationId: orgId });
    expect((await createKey(teamId, "k", h.region.id)).status).toBe(200);
    await h.stopWorker();
    try {
      await h.mutationOk("teams.update", { teamId, name: "Quick 1" }, admin.creds);
      await h.mutationOk("teams.update", { teamId, name: "Quick 2" }, admin.creds);
      // Run the later job first: the earlier one must not bring back the older name.
      await h.db.pool.query(
        `UPDATE jobs SET run_at = now() + CASE WHEN payload->>'teamAlias' = 'Quick 1' THEN interval '0.3 second' ELSE interval '0' END
          WHERE kind = 'litellm.updateTeam' AND payload->>'gatehouseTeamId' = $1`,
        [teamId],
      );
    } finally {
      h.startWorker();
    }
    for (let i = 0; i < 20; i++) {
      await h.drain();
      const { rows } = await h.db.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM jobs WHERE kind = 'litellm.updateTeam' AND payload->>'gatehouseTeamId' = $1 AND status <> 'DONE'`,
        [teamId],
      );
      if (rows[0]!.n === 0) break;
      await h.db.pool.query(`UPDATE jobs SET run_at = now() WHERE status = 'PENDING'`);
    }
    expect(h.litellm.state.getTeam(litellmTeamId(h.region.name, teamId))?.teamAlias).toBe(
      "Quick 2",
    );
  });

  it("a deleted team is deleted on every proxy", async () => {
    const teamId = await fx.insertTeam(h.db, { name: "Short Lived", organizationId: orgId });
    const k = await createKey(teamId, "temp", strictRegion.id);
    expect(k.status).toBe(200);
    await deleteKey(k.data.key.id);
    await h.drain();
    expect(strict.state.getTeam(litellmTeamId(strictRegion.name, teamId))).toBeDefined(); // a team without keys stays
    await h.mutationOk("teams.delete", { teamId }, admin.creds);
    await h.drain();
    expect(strict.state.getTeam(litellmTeamId(strictRegion.name, teamId))).toBeUndefined();
    expect(h.litellm.state.getTeam(litellmTeamId(h.region.name, teamId))).toBeUndefined();
  });

  it("a merged-away team disappears from the proxy once its keys moved, never taking a key with it", async () => {
    const S = await fx.insertTeam(h.db, { name: "Away Source", organizationId: orgId });
    const T = await fx.insertTeam(h.db, { name: "Away Target", organizationId: orgId });
    const keys = [];
    for (const name of ["m1", "m2", "m3"]) keys.push((await createKey(S, name, h.region.id)).data);
    const sourceOnProxy = litellmTeamId(h.region.name, S);
    // Moves fail a few times first: the team delete must wait for them, not run around them.
    h.litellm.faults.failNext(3, 503, { path: "/key/update" });
    await h.mutationOk(
      "teams.merge",
      { sourceTeamId: S, targetTeamId: T, strategy: "rename" },
      admin.creds,
    );
    for (let i = 0; i < 20; i++) {
      await h.drain();
      const { rows } = await h.db.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM jobs WHERE status <> 'DONE'`,
      );
      if (rows[0]!.n === 0) break;
      expect(h.litellm.state.getTeam(sourceOnProxy), "deleted before its keys moved").toBeDefined();
      await h.db.pool.query(`UPDATE jobs SET run_at = now() WHERE status = 'PENDING'`);
    }
    expect(h.litellm.state.getTeam(sourceOnProxy)).toBeUndefined();
    for (const k of keys) {
      expect(h.litellm.state.getKey(k.secret)).toMatchObject({
        teamId: litellmTeamId(h.region.name, T),
      });
    }
    const deletes = h.litellm.state.requests.filter(
      (r) => r.path === "/team/delete" && JSON.stringify(r.body).includes(sourceOnProxy),
    );
    expect(deletes.map((r) => r.status)).toEqual([200]);
  });
});

describe("worker self-repair on what real LiteLLM answers", () => {
  it("addMembers on a team missing from the proxy (LiteLLM: 404 'Team doesn't exist in db') re-creates the team, then adds as 'user'", async () => {
    const client = new LiteLLMClient({ baseUrl: h.litellm.url, masterKey: fx.LITELLM_MASTER_KEY });
    try {
      // As queued by an older version: role "admin", which open-source LiteLLM refuses.
      const outcome = await runJob(client, "litellm.addMembers", {
        teamId: "eu_west_repair-team",
        teamAlias: "Repair Team",
        members: [{ userId: "u-admin", role: "admin" }],
      });
      expect(outcome).toBe("added after repair");
      const team = h.litellm.state.getTeam("eu_west_repair-team");
      expect(team?.teamAlias).toBe("Repair Team");
      expect(team?.members.get("u-admin")?.role).toBe("user");
      const adds = h.litellm.state.requests.filter(
        (r) =>
          r.path === "/team/member_add" && JSON.stringify(r.body).includes("eu_west_repair-team"),
      );
      expect(adds.map((r) => r.status)).toEqual([404, 200]);
    } finally {
      client.close();
    }
  });
});
