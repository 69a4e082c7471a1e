import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  claimJobs,
  completeJobs,
  enqueueJobs,
  failJob,
  wakeRegionJobs,
} from "../src/jobs/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/index.ts";

let db: TestDatabase;
let regionId: string;
beforeAll(async () => {
  db = await createTestDatabase();
  regionId = (
    await db.prisma.region.create({
      data: { name: "r", litellmBaseUrl: "http://x", litellmMasterKey: "k" },
    })
  ).id;
});
afterAll(() => db?.close());
beforeEach(async () => {
  await db.pool.query("DELETE FROM jobs");
  await db.pool.query("UPDATE regions SET is_active = true");
});

const enqueue = (jobs: Parameters<typeof enqueueJobs>[1]) =>
  db.prisma.$transaction((tx) => enqueueJobs(tx, jobs));

describe("job queue", () => {
  it("never gives one job to two workers", async () => {
    await enqueue(Array.from({ length: 50 }, (_, i) => ({ kind: "k", payload: { i } })));
    const [a, b, c] = await Promise.all([
      claimJobs(db.pool, "w1", 20, 60_000),
      claimJobs(db.pool, "w2", 20, 60_000),
      claimJobs(db.pool, "w3", 20, 60_000),
    ]);
    const ids = [...a, ...b, ...c].map((j) => j.id);
    expect(ids).toHaveLength(50);
    expect(new Set(ids).size).toBe(50);
  });

  it("runs a group's stages in order", async () => {
    await enqueue([
      { kind: "ensure", payload: {}, groupKey: "g", stage: 0 },
      { kind: "members", payload: {}, groupKey: "g", stage: 1 },
      { kind: "move", payload: {}, groupKey: "g", stage: 2 },
      { kind: "move", payload: {}, groupKey: "g", stage: 2 },
    ]);
    const first = await claimJobs(db.pool, "w", 10, 60_000);
    expect(first.map((j) => j.kind)).toEqual(["ensure"]);
    expect(await claimJobs(db.pool, "w", 10, 60_000)).toEqual([]);
    await completeJobs(
      db.pool,
      "w",
      first.map((j) => j.id),
    );
    const second = await claimJobs(db.pool, "w", 10, 60_000);
    expect(second.map((j) => j.kind)).toEqual(["members"]);
    await completeJobs(
      db.pool,
      "w",
      second.map((j) => j.id),
    );
    expect((await claimJobs(db.pool, "w", 10, 60_000)).map((j) => j.kind)).toEqual([
      "move",
      "move",
    ]);
  });

  it("holds jobs of an inactive region until it is active again", async () => {
    await db.pool.query("UPDATE regions SET is_active = false");
    await enqueue([{ kind: "move", payload: {}, regionId }]);
    expect(await claimJobs(db.pool, "w", 10, 60_000)).toEqual([]);
    await db.prisma.$transaction(async (tx) => {
      await tx.region.update({ where: { id: regionId }, data: { isActive: true } });
      await wakeRegionJobs(tx, regionId);
    });
    expect(await claimJobs(db.pool, "w", 10, 60_000)).toHaveLength(1);
  });

  it("retries with backoff, then fails for good after maxAttempts", async () => {
    await enqueue([{ kind: "k", payload: {}, maxAttempts: 2 }]);
    const [job] = await claimJobs(db.pool, "w", 1, 60_000);
    expect(await failJob(db.pool, "w", job!, "boom", { retryable: true })).toBe("retry");
    // Backoff: not runnable yet.
    expect(await claimJobs(db.pool, "w", 1, 60_000)).toEqual([]);
    await db.pool.query("UPDATE jobs SET run_at = now()");
    const [again] = await claimJobs(db.pool, "w", 1, 60_000);
    expect(again!.attempts).toBe(2);
    expect(await failJob(db.pool, "w", again!, "boom again", { retryable: true })).toBe("failed");
    const row = await db.prisma.job.findFirstOrThrow();
    expect(row).toMatchObject({ status: "FAILED", lastError: "boom again", attempts: 2 });
  });

  it("lets another worker reclaim a job whose worker died, and ignores the late original", async () => {
    await enqueue([{ kind: "k", payload: {} }]);
    const [job] = await claimJobs(db.pool, "dead", 1, 60_000);
    expect(await claimJobs(db.pool, "alive", 1, 60_000)).toEqual([]);
    await db.pool.query("UPDATE jobs SET locked_until = now() - interval '1 second'");
    const [reclaimed] = await claimJobs(db.pool, "alive", 1, 60_000);
    expect(reclaimed!.id).toBe(job!.id);
    // The dead worker wakes up late: its completion must not count.
    expect(await completeJobs(db.pool, "dead", [job!.id])).toEqual([]);
    expect(await completeJobs(db.pool, "alive", [job!.id])).toEqual([job!.id]);
  });
});
