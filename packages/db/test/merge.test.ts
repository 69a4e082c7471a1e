/**
 * executeMerge against a real database: atomicity (a failure after the changes rolls all
 * of them back) and concurrency, driven by barriers rather than sleeps. The `afterLock`
 * hook holds a merge inside its transaction, with both teams locked, while the test
 * starts a competing merge or key insert; on the real server the test then waits until
 * the competitor is blocked on a lock (pg_stat_activity) before releasing the first.
 *
 * On PGlite transactions never interleave (and the test database has one pooled
 * connection), so the competitor simply waits for the holder to finish; the outcomes
 * asserted are the same on both backends.
 */
import crypto from "node:crypto";
import { isDomainError, type MergeRequest } from "@gatehouse/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimJobs, completeJobs, enqueueJobs, failJob } from "../src/jobs/index.ts";
import { executeMerge, type MergeContext, type MergeOutcome } from "../src/teams/merge.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/index.ts";

let db: TestDatabase;
let regionId: string;
let userId: string;
let seq = 0;

beforeAll(async () => {
  // Room for the concurrent merges on the server (PGlite always gets one connection).
  db = await createTestDatabase({ poolMax: 20 });
  regionId = (
    await db.prisma.region.create({
      data: {
        name: "eu west",
        litellmBaseUrl: "http://127.0.0.1:9",
        litellmMasterKey: "sk-master-x",
      },
    })
  ).id;
  userId = (
    await db.prisma.user.create({
      data: { email: "owner@db-merge.test", name: "owner", passwordHash: "x" },
    })
  ).id;
});
afterAll(() => db?.close());

/* ---------------------------------------------------------------------------- helpers */

async function team(keys: string[], name = `team ${++seq}`): Promise<string> {
  const t = await db.prisma.team.create({ data: { name }, select: { id: true } });
  if (keys.length) {
    await db.prisma.apiKey.createMany({
      data: keys.map((k) => ({
        teamId: t.id,
        name: k,
        regionId,
        creatorId: userId,
        litellmKeyId: crypto.randomBytes(32).toString("hex"),
        keyPrefix: "sk-…",
      })),
    });
  }
  await db.prisma.teamMember.create({ data: { teamId: t.id, userId, role: "MEMBER" } });
  return t.id;
}

const keyNames = async (teamId: string) =>
  (
    await db.prisma.apiKey.findMany({
      where: { teamId },
      select: { name: true },
      orderBy: { name: "asc" },
    })
  ).map((k) => k.name);

function context(overrides: Partial<MergeContext> = {}): MergeContext {
  return {
    now: new Date(),
    createdByUserId: userId,
    createdByServiceTokenId: null,
    audit: async (tx, event) => {
      await tx.auditEvent.create({
        data: {
          action: "team.merge",
          targetType: "team",
          targetId: event.mergeId,
          details: { mergeId: event.mergeId, summary: { ...event.summary } },
        },
      });
    },
    ...overrides,
  };
}

const request = (
  sourceTeamId: string,
  targetTeamId: string,
  strategy: MergeRequest["strategy"] = "rename",
): MergeRequest => ({
  sourceTeamId,
  targetTeamId,
  strategy,
  allowCrossOrganization: false,
});

function barrier(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/**
 * Starts a merge that stops right after taking its locks. `locked` resolves when it holds
 * them; `release()` lets it continue; `done` is its outcome.
 */
function heldMerge(req: MergeRequest): {
  locked: Promise<void>;
  release: () => void;
  done: Promise<MergeOutcome>;
} {
  const locked = barrier();
  const gate = barrier();
  const done = executeMerge(
    db.prisma,
    req,
    context({
      afterLock: async () => {
        locked.open();
        await gate.promise;
      },
    }),
  );
  // If the merge fails before taking its locks, unblock whoever waits on `locked`.
  done.catch(() => locked.open());
  return { locked: locked.promise, release: gate.open, done };
}

/** On the real server: resolves once `count` sessions wait on a lock. PGlite: at once. */
async function lockWaiters(count = 1): Promise<void> {
  if (db.backend === "pglite") return;
  for (let i = 0; ; i++) {
    const { rows } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if ((rows[0]?.n ?? 0) >= count) return;
    if (i > 2000) throw new Error("nobody waits on a lock");
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Everything a merge writes, for "nothing changed" checks. */
async function snapshot(): Promise<unknown> {
  const q = async (sql: string) => (await db.pool.query<Record<string, unknown>>(sql)).rows;
  return {
    teams: await q(`SELECT id, name, updated_at FROM teams ORDER BY id`),
    members: await q(`SELECT team_id, user_id, role FROM team_members ORDER BY team_id, user_id`),
    keys: await q(`SELECT id, name, team_id, updated_at FROM api_keys ORDER BY id`),
    jobs: await q(`SELECT id FROM jobs ORDER BY id`),
    merges: await q(`SELECT id FROM team_merges ORDER BY id`),
    audit: await q(`SELECT id FROM audit_events ORDER BY id`),
  };
}

const codeOf = (result: PromiseSettledResult<unknown>): string =>
  result.status === "fulfilled"
    ? "ok"
    : isDomainError(result.reason)
      ? result.reason.code
      : String(result.reason);

/* ------------------------------------------------------------------------------ tests */

describe("executeMerge atomicity", () => {
  it("rolls everything back when the audit write fails after the changes", async () => {
    const S = await team(["a", "shared"]);
    const T = await team(["shared", "b"]);
    const before = await snapshot();
    let reachedAudit = false;
    const failing = context({
      audit: async (tx) => {
        // The changes are in place inside the transaction at this point...
        expect(await tx.apiKey.count({ where: { teamId: T } })).toBe(4);
        expect(await tx.team.findUnique({ where: { id: S } })).toBeNull();
        reachedAudit = true;
        throw new Error("audit store unavailable");
      },
    });
    await expect(executeMerge(db.prisma, request(S, T), failing)).rejects.toThrow(
      "audit store unavailable",
    );
    expect(reachedAudit).toBe(true);
    // ...and none of them survived.
    expect(await snapshot()).toEqual(before);
    expect(await keyNames(S)).toEqual(["a", "shared"]);
    // The same merge then succeeds.
    const ok = await executeMerge(db.prisma, request(S, T), context());
    expect(ok.jobs).toBeGreaterThan(0);
    expect(await keyNames(T)).toEqual(["a", "b", "shared", expect.stringMatching(/^shared_from_/)]);
  });

  it("refuses cancel-with-conflicts and a source with an active product without writing anything", async () => {
    const S = await team(["x"]);
    const T = await team(["x"]);
    const before = await snapshot();
    await expect(executeMerge(db.prisma, request(S, T, "cancel"), context())).rejects.toMatchObject(
      { code: "CONFLICT" },
    );
    const product = await db.prisma.product.create({ data: { name: `p${++seq}` } });
    await db.prisma.teamProduct.create({ data: { teamId: S, productId: product.id } });
    const withProduct = await snapshot();
    await expect(executeMerge(db.prisma, request(S, T), context())).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
    });
    expect(await snapshot()).toEqual(withProduct);
    expect((withProduct as { teams: unknown[] }).teams).toEqual(
      (before as { teams: unknown[] }).teams,
    );
  });
});

describe("executeMerge concurrency", () => {
  for (const order of ["lower id first", "higher id first"] as const) {
    it(`A->B racing B->A (${order}): one merge done, the other refused with NOT_FOUND, no deadlock`, async () => {
      const X = await team(["x1", "both"]);
      const Y = await team(["y1", "both"]);
      const [A, B] = X < Y === (order === "lower id first") ? [X, Y] : [Y, X];
      const first = heldMerge(request(A, B));
      await first.locked;
      const second = executeMerge(db.prisma, request(B, A), context());
      await lockWaiters(1);
      first.release();
      const [r1, r2] = await Promise.allSettled([first.done, second]);
      expect(codeOf(r1)).toBe("ok");
      expect(codeOf(r2)).toBe("NOT_FOUND");
      expect(r2.status === "rejected" && (r2.reason as Error).message).toBe(
        "Target team not found",
      );
      expect(await db.prisma.team.findUnique({ where: { id: A } })).toBeNull();
      expect(await keyNames(B)).toEqual(["both", expect.stringMatching(/^both_from_/), "x1", "y1"]);
      expect(
        await db.prisma.teamMerge.count({
          where: { OR: [{ sourceTeamId: B }, { targetTeamId: A }] },
        }),
      ).toBe(0);
    });
  }

  it("two merges into one target serialize; both succeed and every key is there once", async () => {
    const A = await team(["a", "common", "dup"]);
    const B = await team(["b", "common", "dup"]);
    const T = await team(["t", "dup"]);
    const first = heldMerge(request(A, T));
    await first.locked;
    const second = executeMerge(db.prisma, request(B, T), context());
    await lockWaiters(1);
    first.release();
    const [r1, r2] = await Promise.allSettled([first.done, second]);
    expect([codeOf(r1), codeOf(r2)]).toEqual(["ok", "ok"]);
    const names = await keyNames(T);
    expect(names).toHaveLength(3 + 3 + 2);
    expect(new Set(names).size).toBe(names.length);
    // The second merge saw the first one's result: B's "common" collided with A's moved one.
    const second2 = (r2 as PromiseFulfilledResult<MergeOutcome>).value;
    expect(second2.plan.conflicts.map((c) => c.name).sort()).toEqual(["common", "dup"]);
    expect(await db.prisma.apiKey.count({ where: { teamId: { in: [A, B] } } })).toBe(0);
  });

  it("a key inserted under FOR SHARE while the source is being merged waits, then is refused (no orphan)", async () => {
    const S = await team(["s1"]);
    const T = await team(["t1"]);
    const held = heldMerge(request(S, T));
    await held.locked;
    const insert = insertKeyUnderShareLock(S, "late-key");
    await lockWaiters(1);
    held.release();
    const [merged, inserted] = await Promise.allSettled([held.done, insert.done]);
    expect(codeOf(merged)).toBe("ok");
    expect(inserted).toEqual({ status: "fulfilled", value: "refused: team gone" });
    expect(await db.prisma.apiKey.count({ where: { name: "late-key" } })).toBe(0);
    expect(await keyNames(T)).toEqual(["s1", "t1"]);
  });

  it("a key inserted before the merge locks the source (uncommitted) makes the merge wait, then moves", async () => {
    const S = await team(["s1"]);
    const T = await team(["t1"]);
    const insert = insertKeyUnderShareLock(S, "early-key", { holdUntilReleased: true });
    await insert.holding;
    const merged = executeMerge(db.prisma, request(S, T), context());
    await lockWaiters(1);
    insert.release();
    expect(await insert.done).toBe("inserted");
    const outcome = await merged;
    expect(outcome.plan.keysToMove.map((k) => k.name).sort()).toEqual(["early-key", "s1"]);
    expect(await keyNames(T)).toEqual(["early-key", "s1", "t1"]);
    // Its LiteLLM move was queued with the others.
    expect(
      await db.prisma.job.count({ where: { mergeId: outcome.mergeId, kind: "litellm.moveKey" } }),
    ).toBe(2);
  });

  it("a plain key or member insert into the source during the merge is refused by its foreign key", async () => {
    const S = await team(["s1"]);
    const T = await team([]);
    const other = await db.prisma.user.create({
      data: { email: `m${++seq}@db-merge.test`, name: "m", passwordHash: "x" },
    });
    const held = heldMerge(request(S, T));
    await held.locked;
    // No explicit lock: the foreign-key check itself takes a KEY SHARE lock on the team.
    const keyInsert = db.pool.query(
      `INSERT INTO api_keys (id, team_id, name, region_id, key_prefix, updated_at) VALUES (gen_random_uuid(), $1, 'fk-key', $2, 'sk-…', now())`,
      [S, regionId],
    );
    const memberInsert = db.pool.query(
      `INSERT INTO team_members (team_id, user_id, role) VALUES ($1, $2, 'MEMBER')`,
      [S, other.id],
    );
    await lockWaiters(2);
    held.release();
    const [merged, k, m] = await Promise.allSettled([held.done, keyInsert, memberInsert]);
    expect(codeOf(merged)).toBe("ok");
    for (const r of [k, m]) {
      expect(r.status).toBe("rejected");
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: "23503" }); // foreign_key_violation
    }
    expect(await db.prisma.apiKey.count({ where: { name: "fk-key" } })).toBe(0);
    expect(await db.prisma.teamMember.count({ where: { userId: other.id } })).toBe(0);
  });

  it("many concurrent merges over a few teams: no deadlock, no lost or orphaned key", async () => {
    const teams: string[] = [];
    for (let i = 0; i < 8; i++) teams.push(await team([`k${i}a`, `k${i}b`, "same"]));
    const keysBefore = await db.prisma.apiKey.count({ where: { teamId: { in: teams } } });
    // Every ordered pair once in a shuffled order: chains, cycles and fan-ins all occur.
    const pairs: Array<[string, string]> = [];
    for (const a of teams) for (const b of teams) if (a !== b) pairs.push([a, b]);
    pairs.sort(() => Math.random() - 0.5);
    const results = await Promise.allSettled(
      pairs.slice(0, 24).map(([a, b]) => executeMerge(db.prisma, request(a, b), context())),
    );
    const codes = results.map(codeOf);
    // Only clean outcomes: done, or a team already merged away. A deadlock (40P01) or a
    // serialization failure would show up here as something else.
    expect(codes.filter((c) => c !== "ok" && c !== "NOT_FOUND")).toEqual([]);
    expect(codes).toContain("ok");
    const survivors = await db.prisma.team.findMany({
      where: { id: { in: teams } },
      select: { id: true },
    });
    expect(survivors.length).toBe(teams.length - codes.filter((c) => c === "ok").length);
    const keysAfter = await db.prisma.apiKey.findMany({
      where: { teamId: { in: teams } },
      select: { teamId: true, name: true },
    });
    expect(keysAfter).toHaveLength(keysBefore);
    // Names unique per team.
    expect(new Set(keysAfter.map((k) => `${k.teamId}/${k.name}`)).size).toBe(keysBefore);
  });
});

describe("the job queue at merge scale", () => {
  // One merge's jobs share a group and a run_at. The claim used to check the stage with a
  // per-row NOT EXISTS that the planner ran as a full scan once statistics showed one
  // group (seconds per claim at 10,000 jobs), and with no statistics yet it sorted every
  // pending row per claim. Here: claims are complete and in stage order, with and without
  // statistics. How fast they are is `pnpm bench merge`'s to say (nothing in
  // `npm test` depends on timing; a time budget here failed on a loaded machine).
  for (const stats of ["fresh statistics", "no statistics"] as const) {
    it(`claims from a 6,000-job group (${stats}), in stage order`, async () => {
      await db.pool.query(`DELETE FROM jobs`);
      const group = `bench:${++seq}`;
      await db.prisma.$transaction((tx) =>
        enqueueJobs(tx, [
          { kind: "ensure", payload: {}, groupKey: group, stage: 0, regionId },
          ...Array.from({ length: 6000 }, (_, i) => ({
            kind: "move",
            payload: { i },
            groupKey: group,
            stage: 2,
            regionId,
          })),
        ]),
      );
      if (stats === "fresh statistics") await db.pool.query(`ANALYZE jobs`);
      const first = await claimJobs(db.pool, "w", 64, 60_000);
      expect(first.map((j) => j.kind)).toEqual(["ensure"]);
      await completeJobs(
        db.pool,
        "w",
        first.map((j) => j.id),
      );
      let claimed = 0;
      for (let i = 0; i < 10; i++) {
        const jobs = await claimJobs(db.pool, "w", 64, 60_000);
        expect(jobs).toHaveLength(64);
        claimed += jobs.length;
        await completeJobs(
          db.pool,
          "w",
          jobs.map((j) => j.id),
        );
      }
      expect(claimed).toBe(640);
    });
  }

  it("ignores a late failure report from a worker whose lease expired", async () => {
    await db.pool.query(`DELETE FROM jobs`);
    await db.prisma.$transaction((tx) => enqueueJobs(tx, [{ kind: "k", payload: {}, regionId }]));
    const [job] = await claimJobs(db.pool, "dead", 1, 60_000);
    await db.pool.query(`UPDATE jobs SET locked_until = now() - interval '1 second'`);
    const [again] = await claimJobs(db.pool, "alive", 1, 60_000);
    expect(again!.id).toBe(job!.id);
    await failJob(db.pool, "dead", job!, "late failure", { retryable: true });
    expect(await db.prisma.job.findFirstOrThrow()).toMatchObject({
      status: "RUNNING",
      lockedBy: "alive",
      lastError: null,
    });
  });

  it("enqueues rows with and without maxAttempts / runAt, keeping the schema defaults", async () => {
    await db.pool.query(`DELETE FROM jobs`);
    const later = new Date(Date.now() + 3_600_000);
    const count = await db.prisma.$transaction((tx) =>
      enqueueJobs(tx, [
        { kind: "plain", payload: { a: [1, "x", null] } },
        { kind: "capped", payload: {}, maxAttempts: 3, groupKey: "g", stage: 1, apiKeyId: null },
        { kind: "later", payload: {}, runAt: later, regionId },
        { kind: "both", payload: { n: 1 }, maxAttempts: 2, runAt: later },
      ]),
    );
    expect(count).toBe(4);
    const rows = Object.fromEntries((await db.prisma.job.findMany()).map((j) => [j.kind, j]));
    expect(rows.plain).toMatchObject({
      payload: { a: [1, "x", null] },
      maxAttempts: 25,
      status: "PENDING",
      stage: 0,
      groupKey: null,
    });
    expect(rows.capped).toMatchObject({ maxAttempts: 3, groupKey: "g", stage: 1 });
    expect(rows.later!.runAt.getTime()).toBe(later.getTime());
    expect(rows.later!.regionId).toBe(regionId);
    expect(rows.both).toMatchObject({ maxAttempts: 2, payload: { n: 1 } });
    // Only "plain" and "capped" are due.
    expect((await claimJobs(db.pool, "w", 10, 60_000)).map((j) => j.kind).sort()).toEqual([
      "capped",
      "plain",
    ]);
  });
});

/**
 * keys.create's database step in SQL: in one transaction, lock the team FOR SHARE, insert
 * the key, commit. With `holdUntilReleased` it stops after the insert (holding the share
 * lock) until `release()`. Resolves "inserted", or "refused: team gone" when the lock
 * query finds no team (it was merged away while we waited).
 */
function insertKeyUnderShareLock(
  teamId: string,
  name: string,
  options: { holdUntilReleased?: boolean } = {},
): {
  holding: Promise<void>;
  release: () => void;
  done: Promise<"inserted" | "refused: team gone">;
} {
  const holding = barrier();
  const gate = barrier();
  if (!options.holdUntilReleased) gate.open();
  const done = (async () => {
    const client = await db.pool.connect();
    try {
      await client.query("BEGIN");
      const locked = await client.query(`SELECT id FROM teams WHERE id = $1 FOR SHARE`, [teamId]);
      if (locked.rowCount === 0) {
        await client.query("ROLLBACK");
        return "refused: team gone" as const;
      }
      await client.query(
        `INSERT INTO api_keys (id, team_id, name, region_id, creator_id, litellm_key_id, key_prefix, updated_at)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, 'sk-…', now())`,
        [teamId, name, regionId, userId, crypto.randomBytes(32).toString("hex")],
      );
      holding.open();
      await gate.promise;
      await client.query("COMMIT");
      return "inserted" as const;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      holding.open();
      client.release();
    }
  })();
  return { holding: holding.promise, release: gate.open, done };
}
