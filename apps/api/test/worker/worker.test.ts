/**
 * The job worker against the real queue and the LiteLLM contract server: several workers
 * never run a job twice, a group's stages run in order, stop() lets in-flight calls finish
 * and records them, and drained() means "nothing runnable left", including stages that a
 * completion just unblocked.
 */
import { MERGE_STAGE, type LiteLLMJobSpec } from "@gatehouse/core";
import { enqueueJobs } from "@gatehouse/db";
import { LiteLLMClient } from "@gatehouse/litellm";
import type { RequestLogEntry } from "@gatehouse/litellm/contract-server";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startWorker, type Worker } from "../../src/worker/worker.ts";
import { startHarness, type SyncHarness } from "../support/harness.ts";
import { LITELLM_MASTER_KEY } from "../support/fixtures.ts";

let h: SyncHarness;
let client: LiteLLMClient;
const extra: Worker[] = [];
let run = 0;

beforeAll(async () => {
  h = await startHarness({ litellm: true });
  // These tests drive their own workers; the harness's would compete for the jobs.
  await h.stopWorker();
  client = new LiteLLMClient({ baseUrl: h.litellm.url, masterKey: LITELLM_MASTER_KEY });
});
afterAll(async () => {
  client?.close();
  await h?.close();
});
beforeEach(() => {
  run++;
});
afterEach(async () => {
  await Promise.all(extra.splice(0).map((w) => w.stop()));
  await h.litellm.faults.reset();
  await h.db.pool.query(`DELETE FROM jobs`);
});

const spawn = (id: string, options: Parameters<typeof startWorker>[1] = {}): Worker => {
  const worker = startWorker(
    { db: h.db, logger: h.logger },
    { workerId: id, pollIntervalMs: 50, ...options },
  );
  extra.push(worker);
  return worker;
};

/** LiteLLM keys in a source team, made directly on the proxy (the worker only moves them). */
async function litellmKeys(count: number): Promise<{ sourceTeam: string; tokens: string[] }> {
  const sourceTeam = `eu_west_src-${run}`;
  await client.ensureTeam({ teamId: sourceTeam, teamAlias: "src" });
  await client.ensureTeamMembers({
    teamId: sourceTeam,
    members: [{ userId: "owner", role: "user" }],
  });
  const tokens = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const k = await client.generateKey({
        keyAlias: `${sourceTeam}/k${i}`,
        teamId: sourceTeam,
        userId: "owner",
      });
      return k.token;
    }),
  );
  return { sourceTeam, tokens };
}

/** A merge-shaped group: the team, its members, then the key moves; plus free deletes. */
function mergeJobs(
  target: string,
  moveTokens: string[],
  deleteTokens: string[] = [],
): LiteLLMJobSpec[] {
  const groupKey = `test:${run}`;
  const regionId = h.region.id;
  return [
    {
      kind: "litellm.ensureTeam",
      payload: { teamId: target, teamAlias: "target" },
      groupKey,
      stage: MERGE_STAGE.ensureTeam,
      regionId,
      apiKeyId: null,
    },
    {
      kind: "litellm.addMembers",
      payload: { teamId: target, members: [{ userId: "owner", role: "user" }] },
      groupKey,
      stage: MERGE_STAGE.addMembers,
      regionId,
      apiKeyId: null,
    },
    ...moveTokens.map((token, i): LiteLLMJobSpec => ({
      kind: "litellm.moveKey",
      payload: {
        keyToken: token,
        teamId: target,
        teamAlias: "target",
        keyAlias: `${target}/k${i}`,
        ownerUserId: "owner",
      },
      groupKey,
      stage: MERGE_STAGE.keys,
      regionId,
      apiKeyId: null,
    })),
    ...deleteTokens.map((token): LiteLLMJobSpec => ({
      kind: "litellm.deleteKey",
      payload: { keyToken: token },
      groupKey: null,
      stage: 0,
      regionId,
      apiKeyId: null,
    })),
  ];
}

const enqueue = (jobs: LiteLLMJobSpec[]) => h.db.prisma.$transaction((tx) => enqueueJobs(tx, jobs));

/** One independent litellm.deleteKey job per token, on the test region. */
const deleteKeyJobs = (tokens: string[]): LiteLLMJobSpec[] =>
  tokens.map((token) => ({
    kind: "litellm.deleteKey",
    payload: { keyToken: token },
    groupKey: null,
    stage: 0,
    regionId: h.region.id,
    apiKeyId: null,
  }));

const statusCounts = async () =>
  Object.fromEntries(
    (
      await h.db.pool.query<{ status: string; n: number }>(
        `SELECT status, count(*)::int AS n FROM jobs GROUP BY status`,
      )
    ).rows.map((r) => [r.status, r.n]),
  );

async function drainAll(workers: Worker[]): Promise<void> {
  for (let round = 0; round < 20; round++) {
    await Promise.all(workers.map((w) => w.drained()));
    const counts = await statusCounts();
    if (Object.keys(counts).every((s) => s === "DONE")) return;
  }
  throw new Error(`jobs did not finish: ${JSON.stringify(await statusCounts())}`);
}

const bodyKey = (r: RequestLogEntry): string => {
  const body = r.body as { key?: string; keys?: string[] };
  return body.key ?? body.keys?.[0] ?? "";
};

describe("worker", () => {
  it("several workers at once never run a job twice", async () => {
    const { tokens } = await litellmKeys(120);
    const target = `eu_west_dst-${run}`;
    await enqueue(mergeJobs(target, tokens.slice(0, 80), tokens.slice(80)));
    const since = h.litellm.state.snapshot().requestCount;
    // Latency keeps calls in flight long enough for the workers' claims to overlap.
    h.litellm.faults.setLatency(5);
    const workers = ["w1", "w2", "w3", "w4"].map((id) => spawn(id, { concurrency: 8 }));
    await drainAll(workers);

    const log = h.litellm.state.requestsSince(since);
    expect(log.every((r) => r.status === 200)).toBe(true);
    expect(log.filter((r) => r.path === "/team/new")).toHaveLength(1);
    expect(log.filter((r) => r.path === "/team/member_add")).toHaveLength(1);
    const perKey = (path: string) => {
      const counts = new Map<string, number>();
      for (const r of log.filter((x) => x.path === path))
        counts.set(bodyKey(r), (counts.get(bodyKey(r)) ?? 0) + 1);
      return counts;
    };
    const updates = perKey("/key/update");
    const deletes = perKey("/key/delete");
    expect(updates.size).toBe(80);
    expect([...updates.values()].every((n) => n === 1)).toBe(true);
    expect(deletes.size).toBe(40);
    expect([...deletes.values()].every((n) => n === 1)).toBe(true);
    expect(log).toHaveLength(2 + 80 + 40);
    // Each job was claimed once, and the work was shared.
    const { rows } = await h.db.pool.query<{ attempts: number }>(`SELECT attempts FROM jobs`);
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
    for (const token of tokens.slice(0, 80))
      expect(h.litellm.state.keys.get(token)?.teamId).toBe(target);
    for (const token of tokens.slice(80)) expect(h.litellm.state.keys.has(token)).toBe(false);
  });

  it("runs a group's stages in order: team, then members, then the key moves", async () => {
    const { tokens } = await litellmKeys(30);
    const target = `eu_west_ordered-${run}`;
    await enqueue(mergeJobs(target, tokens));
    const since = h.litellm.state.snapshot().requestCount;
    h.litellm.faults.setLatency(3);
    const workers = [spawn("o1", { concurrency: 16 }), spawn("o2", { concurrency: 16 })];
    await drainAll(workers);
    const log = h.litellm.state.requestsSince(since);
    // The log is in answer order; a stage is claimed only after the previous one is DONE.
    const seqOf = (path: string) => log.filter((r) => r.path === path).map((r) => r.seq);
    const [team] = seqOf("/team/new");
    const [members] = seqOf("/team/member_add");
    const moves = seqOf("/key/update");
    expect(team).toBeDefined();
    expect(members).toBeGreaterThan(team!);
    expect(moves).toHaveLength(30);
    expect(Math.min(...moves)).toBeGreaterThan(members!);
    // No repair was needed: no move ever hit a missing team or a non-member owner.
    expect(log.every((r) => r.status === 200)).toBe(true);
  });

  it("starts the next stage as soon as the previous one is recorded, not at the next poll", async () => {
    const { tokens } = await litellmKeys(5);
    await enqueue(mergeJobs(`eu_west_fast-${run}`, tokens));
    // With a one-minute poll, only a wake-up on completion can finish this quickly.
    const worker = spawn("fast", { pollIntervalMs: 60_000 });
    const started = Date.now();
    await worker.drained();
    expect(await statusCounts()).toEqual({ DONE: 7 });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("drained() sees jobs enqueued without a nudge", async () => {
    const worker = spawn("idle", { pollIntervalMs: 60_000 });
    await worker.drained();
    const { tokens } = await litellmKeys(3);
    await enqueue(deleteKeyJobs(tokens));
    await worker.drained();
    expect(await statusCounts()).toEqual({ DONE: 3 });
    for (const token of tokens) expect(h.litellm.state.keys.has(token)).toBe(false);
  });

  it("stop() waits for the calls in flight, records them, and claims nothing more", async () => {
    const { tokens } = await litellmKeys(14);
    await enqueue(deleteKeyJobs(tokens.slice(0, 10)));
    // Long enough that no call can finish before stop() on a loaded machine.
    h.litellm.faults.setLatency(1_500);
    const worker = startWorker(
      { db: h.db, logger: h.logger },
      { workerId: "stopper", concurrency: 10, pollIntervalMs: 50 },
    );
    // Barrier: all ten calls are on the wire, held by the latency.
    for (let i = 0; h.litellm.delayedRequests !== 10; i++) {
      if (i > 1000) throw new Error("the worker never claimed the jobs");
      await new Promise((r) => setTimeout(r, 5));
    }
    await worker.stop();
    expect(await statusCounts()).toEqual({ DONE: 10 });
    for (const token of tokens.slice(0, 10)) expect(h.litellm.state.keys.has(token)).toBe(false);

    // Stopped: new work stays queued.
    await enqueue(deleteKeyJobs(tokens.slice(10)));
    worker.nudge();
    await new Promise((r) => setTimeout(r, 200)); // a negative check: give a (wrong) claim the chance to happen
    expect(await statusCounts()).toEqual({ DONE: 10, PENDING: 4 });
  });

  it("stop() hands back prefetched jobs that never started", async () => {
    const { tokens } = await litellmKeys(5);
    await enqueue(deleteKeyJobs(tokens));
    h.litellm.faults.setLatency(1_500);
    // One slot, the rest prefetched: all five are claimed (RUNNING, leased to us) while the
    // first call is on the wire.
    const worker = startWorker(
      { db: h.db, logger: h.logger },
      { workerId: "prefetcher", concurrency: 1, prefetch: 4, pollIntervalMs: 50 },
    );
    for (let i = 0; (await statusCounts()).RUNNING !== 5 || h.litellm.delayedRequests !== 1; i++) {
      if (i > 1000) throw new Error("the worker never claimed the jobs");
      await new Promise((r) => setTimeout(r, 5));
    }
    await worker.stop();
    expect(await statusCounts()).toEqual({ DONE: 1, PENDING: 4 });
    const back = await h.db.prisma.job.findMany({ where: { status: "PENDING" } });
    // Not counted as attempts, free for any worker.
    expect(back.every((j) => j.attempts === 0 && j.lockedBy === null)).toBe(true);
    await drainAll([spawn("next")]);
    expect(await statusCounts()).toEqual({ DONE: 5 });
  });

  it("records a failing job's error and backoff, and finishes it once the proxy answers", async () => {
    const { tokens } = await litellmKeys(1);
    await enqueue([
      {
        kind: "litellm.deleteKey",
        payload: { keyToken: tokens[0]! },
        groupKey: null,
        stage: 0,
        regionId: h.region.id,
        apiKeyId: null,
      },
    ]);
    h.litellm.faults.failNext(1, 502);
    const worker = spawn("retry");
    await worker.drained();
    const failed = await h.db.prisma.job.findFirstOrThrow();
    expect(failed).toMatchObject({ status: "PENDING", attempts: 1, lockedBy: null });
    expect(failed.lastError).toMatch(/unavailable\/server_error/);
    expect(failed.runAt.getTime()).toBeGreaterThan(Date.now()); // backoff
    // Make the retry due now rather than waiting out the 1 s backoff.
    await h.db.pool.query(`UPDATE jobs SET run_at = now()`);
    await worker.drained();
    expect(await h.db.prisma.job.findFirstOrThrow()).toMatchObject({
      status: "DONE",
      attempts: 2,
      lastError: null,
    });
  });
});
