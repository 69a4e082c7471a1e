/**
 * LiteLLM faults during a merge's sync: a proxy down for the whole merge, failures of the
 * next N calls, a proxy without models, an inactive region and a worker killed mid-sync.
 * The merge commits; the jobs retry and converge with nothing lost or done twice.
 */
import { describe, expect, it } from "vitest";
import { isJobKind } from "@gatehouse/core";
import { claimJobs, completeJobs } from "@gatehouse/db";
import { LiteLLMClient } from "@gatehouse/litellm";
import { runJob } from "../../src/worker/handlers.ts";
import * as fx from "../support/fixtures.ts";
import { type CreatedKey, h, us, usRegion, admin, euTeam, usTeam, alias, team } from "./suite.ts";
import { user, key, type MergeInput, preview, merge, status, keysOf, syncAll } from "./suite.ts";
import { makeRetriesDue, litellmKey, isRunning } from "./suite.ts";
describe("LiteLLM faults during the sync", () => {
  it("LiteLLM down for the whole merge: the merge commits, jobs retry, then converge with nothing lost", async () => {
    const S = await team("Down Source");
    const T = await team("Down Target");
    const owner = await user("down-owner", [[S, "ADMIN"]]);
    const keys = [
      await key(S, "d1", owner.creds),
      await key(S, "d2", owner.creds),
      await key(S, "d3", owner.creds),
    ];
    await key(T, "d1");
    await h.drain();

    await h.litellm.faults.down();
    const res = await merge({ sourceTeamId: S, targetTeamId: T, strategy: "rename" });
    expect(res.status).toBe(200);
    expect(await keysOf(T)).toEqual(["d1", "d1_from_down-source", "d2", "d3"]);

    await h.drain();
    let st = await status(res.data.mergeId);
    expect(st.status).toBe("SYNCING");
    expect(st.jobs.done).toBe(0);
    expect(st.keys).toHaveLength(3);
    for (const k of st.keys) {
      expect(k.state).toBe("pending");
      expect(k.nextAttemptAt).not.toBeNull();
      // The keys wait for the team to exist on LiteLLM; the status says why.
      expect(k.lastError).toMatch(/waiting for litellm\.ensureTeam \(attempt 1\): unavailable/);
    }
    const ensure = () =>
      h.db.prisma.job.findFirstOrThrow({
        where: { mergeId: res.data.mergeId, kind: "litellm.ensureTeam" },
      });
    expect(await ensure()).toMatchObject({ status: "PENDING", attempts: 1 });

    // Still down: each retry is one more attempt, backing off.
    await makeRetriesDue();
    await h.drain();
    const second = await ensure();
    expect(second).toMatchObject({ status: "PENDING", attempts: 2 });
    expect(second.runAt.getTime()).toBeGreaterThan(Date.now() + 500); // 2 s backoff after attempt 2
    st = await status(res.data.mergeId);
    expect(st.keys.every((k) => k.lastError?.includes("(attempt 2)"))).toBe(true);

    await h.litellm.faults.up();
    await syncAll();
    st = await status(res.data.mergeId);
    expect(st.status).toBe("DONE");
    expect(st.keys.every((k) => k.state === "done" && k.lastError === null)).toBe(true);
    const names = ["d1_from_down-source", "d2", "d3"];
    for (const [i, k] of keys.entries()) {
      expect(litellmKey(h.litellm, k.token)).toMatchObject({
        teamId: euTeam(T),
        keyAlias: alias(euTeam(T), names[i]!),
      });
    }
  });

  it("fail-next N on LiteLLM: the failed calls are retried to success", async () => {
    const S = await team("Flaky Source");
    const T = await team("Flaky Target");
    const keys = await Promise.all(["f1", "f2", "f3", "f4"].map((n) => key(S, n)));
    await h.drain();
    const since = h.litellm.state.snapshot().requestCount;
    h.litellm.faults.failNext(2, 503, { path: "/key/update" });
    h.litellm.faults.failNext(1, 500, { path: "/team/new" });
    const res = await merge({ sourceTeamId: S, targetTeamId: T, strategy: "rename" });
    await h.drain();
    const mid = await status(res.data.mergeId);
    expect(mid.status).toBe("SYNCING");
    await syncAll();
    const st = await status(res.data.mergeId);
    expect(st.status).toBe("DONE");
    const injected = h.litellm.state.requestsSince(since).filter((r) => r.fault === "fail-next");
    expect(injected.map((r) => r.path).sort()).toEqual(["/key/update", "/key/update", "/team/new"]);
    // Two key moves needed a second attempt.
    expect(st.keys.map((k) => k.attempts).sort()).toEqual([1, 1, 2, 2]);
    for (const k of keys)
      expect(litellmKey(h.litellm, k.token)).toMatchObject({
        teamId: euTeam(T),
        keyAlias: alias(euTeam(T), k.name),
      });
  });

  it("a proxy with no models (LiteLLM: 400 'LLM router not found'): the key moves wait with that reason, then go through once it has models", async () => {
    const S = await team("Modelless Source");
    const T = await team("Modelless Target");
    const keys = await Promise.all(["m1", "m2"].map((n) => key(S, n)));
    await h.drain();
    h.litellm.state.settings.noModels = true;
    try {
      const res = await merge({ sourceTeamId: S, targetTeamId: T, strategy: "rename" });
      expect(res.status).toBe(200);
      await h.drain();
      const st = await status(res.data.mergeId);
      expect(st.status).toBe("SYNCING");
      expect(st.keys).toHaveLength(2);
      for (const k of st.keys) {
        expect(k.state).toBe("pending");
        // Reported as the proxy's configuration, not as a bad master key or a missing key.
        expect(k.lastError).toMatch(/^rejected\/no_models: .*LLM router not found/);
      }
      for (const k of keys) expect(litellmKey(h.litellm, k.token)?.teamId).toBe(euTeam(S));
    } finally {
      h.litellm.state.settings.noModels = false;
    }
    await syncAll();
    for (const k of keys) expect(litellmKey(h.litellm, k.token)?.teamId).toBe(euTeam(T));
  });

  it("inactive region: keys move in the database, their sync waits (reported), and resumes on reactivation", async () => {
    const S = await team("Dormant Source");
    const T = await team("Dormant Target");
    const euKey = await key(S, "eu-key");
    const usKey = await key(S, "us-key", admin.creds, usRegion.id);
    await h.drain();
    await h.mutationOk("regions.update", { regionId: usRegion.id, isActive: false }, admin.creds);
    try {
      const input: MergeInput = { sourceTeamId: S, targetTeamId: T, strategy: "rename" };
      const pre = (await preview(input)).data;
      expect(pre.keysToMove.find((k) => k.keyId === usKey.id)?.regionActive).toBe(false);
      expect(pre.warnings.join(" ")).toMatch(/1 key\(s\) are in inactive regions/);
      const res = await merge(input);
      expect(res.status).toBe(200);
      expect(await keysOf(T)).toEqual(["eu-key", "us-key"]);

      await h.drain();
      let st = await status(res.data.mergeId);
      expect(st.status).toBe("SYNCING");
      expect(st.keys.find((k) => k.keyId === euKey.id)?.state).toBe("done");
      expect(st.keys.find((k) => k.keyId === usKey.id)?.state).toBe("waiting_region_inactive");
      expect(st.jobs.waiting).toBe(3); // us: team, members, key
      expect(litellmKey(us, usKey.token)?.teamId).toBe(usTeam(S));

      await h.mutationOk("regions.update", { regionId: usRegion.id, isActive: true }, admin.creds);
      await h.drain();
      st = await status(res.data.mergeId);
      expect(st.status).toBe("DONE");
      expect(litellmKey(us, usKey.token)).toMatchObject({
        teamId: usTeam(T),
        keyAlias: alias(usTeam(T), "us-key"),
      });
    } finally {
      await h.db.prisma.region.update({ where: { id: usRegion.id }, data: { isActive: true } });
    }
  });

  it("a worker killed mid-sync: its jobs are reclaimed after the lease and redone without duplicate effects", async () => {
    const S = await team("Crash Source");
    const T = await team("Crash Target");
    const owner = await user("crash-owner", [[S, "KEY_CREATOR"]]);
    const keys: CreatedKey[] = [];
    for (let i = 0; i < 6; i++) keys.push(await key(S, `c${i}`, owner.creds));
    await h.drain();
    await h.stopWorker();
    const since = h.litellm.state.snapshot().requestCount;
    const res = await merge({ sourceTeamId: S, targetTeamId: T, strategy: "rename" });
    expect(res.data.jobs).toBe(8);

    const client = new LiteLLMClient({ baseUrl: h.litellm.url, masterKey: fx.LITELLM_MASTER_KEY });
    const run = async (jobs: Awaited<ReturnType<typeof claimJobs>>) => {
      for (const job of jobs) {
        if (!isJobKind(job.kind)) throw new Error(job.kind);
        await runJob(client, job.kind, job.payload);
      }
    };
    // The source team's deletion on each proxy (cleanup, after the moves) is not under test here.
    const mergeOnly = (jobs: Awaited<ReturnType<typeof claimJobs>>) =>
      jobs.filter((j) => j.kind !== "litellm.deleteTeam");
    const expire = (workerId: string) =>
      h.db.pool.query(
        `UPDATE jobs SET locked_until = now() - interval '1 second' WHERE locked_by = $1`,
        [workerId],
      );
    try {
      // Worker 1 creates the team on LiteLLM, then dies before recording it.
      const first = await claimJobs(h.db.pool, "dead-1", 100, 60_000);
      expect(mergeOnly(first).map((j) => j.kind)).toEqual(["litellm.ensureTeam"]);
      await run(first);
      await expire("dead-1");
      // Worker 2 reclaims it (LiteLLM: "already exists" = done), does the members, then
      // moves half of the keys and dies before recording those.
      const again = await claimJobs(h.db.pool, "dead-2", 100, 60_000);
      expect(mergeOnly(again).map((j) => [j.id, j.attempts])).toEqual([
        [mergeOnly(first)[0]!.id, 2],
      ]);
      await run(again);
      expect(
        await completeJobs(
          h.db.pool,
          "dead-2",
          again.map((j) => j.id),
        ),
      ).toHaveLength(again.length);
      const members = await claimJobs(h.db.pool, "dead-2", 100, 60_000);
      expect(members.map((j) => j.kind)).toEqual(["litellm.addMembers"]);
      await run(members);
      await completeJobs(
        h.db.pool,
        "dead-2",
        members.map((j) => j.id),
      );
      const moves = await claimJobs(h.db.pool, "dead-2", 100, 60_000);
      expect(moves).toHaveLength(6);
      await run(moves.slice(0, 3));
      // While its lease runs, nobody else may take these jobs.
      expect(await claimJobs(h.db.pool, "someone", 100, 60_000)).toEqual([]);
      await expire("dead-2");

      const live = h.startWorker();
      await live.drained();
      // The dead worker's late completion does not count.
      expect(
        await completeJobs(
          h.db.pool,
          "dead-2",
          moves.map((j) => j.id),
        ),
      ).toEqual([]);
    } finally {
      client.close();
      if (!isRunning()) h.startWorker();
    }

    const st = await status(res.data.mergeId);
    expect(st.status).toBe("DONE");
    expect(st.keys.map((k) => k.attempts).sort()).toEqual([2, 2, 2, 2, 2, 2]);
    // Final state: every key once, in the target, with its alias; no key was generated.
    const log = h.litellm.state.requestsSince(since);
    expect(log.filter((r) => r.path === "/key/generate")).toHaveLength(0);
    expect(log.filter((r) => r.path === "/team/new").map((r) => r.status)).toEqual([200, 400]);
    for (const k of keys) {
      expect(litellmKey(h.litellm, k.token)).toMatchObject({
        teamId: euTeam(T),
        keyAlias: alias(euTeam(T), k.name),
      });
      const matching = [...h.litellm.state.keys.values()].filter(
        (x) => x.metadata.gatehouse_key_id === k.id,
      );
      expect(matching).toHaveLength(1);
      const updates = log.filter(
        (r) => r.path === "/key/update" && (r.body as { key?: string }).key === k.token,
      );
      expect(updates.every((u) => u.status === 200)).toBe(true);
      expect(updates.length).toBeGreaterThanOrEqual(1);
      expect(updates.length).toBeLessThanOrEqual(2);
    }
  });
});
