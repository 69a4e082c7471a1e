/**
 * Merges racing each other and racing key creation, end to end (HTTP API, real database,
 * LiteLLM contract server, real worker). Merges touching a team serialize;
 * A->B racing B->A ends with one done and the other refused cleanly; a key created on the
 * source during a merge is either moved or refused, never orphaned, and LiteLLM never
 * keeps a key without a row. Barriers, not sleeps: a merge is held inside its transaction
 * by executeMerge's `afterLock` hook (the function teams.merge runs), and on the real
 * server the test waits until the competitor is blocked on a lock before releasing it.
 */
import { litellmKeyAlias } from "@gatehouse/core";
import { executeMerge, type MergeOutcome } from "@gatehouse/db";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { drainUntilDone, startHarness, type SyncHarness } from "../support/harness.ts";
import { type Credentials, type Out } from "../support/http.ts";
import {
  addTeamMember,
  insertOrganization,
  insertTeam,
  insertUserWithSession,
} from "../support/fixtures.ts";
import { barrier, waitForLockWaiters } from "../support/database.ts";

let h: SyncHarness;
let orgId: string;
let admin: { id: string; creds: Credentials };
let seq = 0;
const euTeam = (teamId: string) => `eu_west_${teamId}`;

beforeAll(async () => {
  h = await startHarness({ litellm: true });
  orgId = await insertOrganization(h.db, "Race Org");
  admin = await insertUserWithSession(h, { email: "admin@race.test", isSystemAdmin: true });
});
afterAll(() => h?.close());
afterEach(async () => {
  await h.litellm.faults.reset();
});

const team = (name = `race team ${++seq}`) => insertTeam(h.db, { name, organizationId: orgId });
const createKey = (teamId: string, name: string, creds: Credentials = admin.creds) =>
  h.mutation<Out<"keys.create">>(
    "keys.create",
    { teamId, name, regionId: h.region.id },
    { credentials: creds },
  );
async function key(teamId: string, name: string): Promise<string> {
  const res = await createKey(teamId, name);
  if (!res.ok) throw new Error(JSON.stringify(res.error));
  return res.data.key.id;
}
const merge = (sourceTeamId: string, targetTeamId: string) =>
  h.mutation<Out<"teams.merge">>(
    "teams.merge",
    { sourceTeamId, targetTeamId, strategy: "rename" },
    { credentials: admin.creds },
  );

/** The merge teams.merge runs, held after its locks until `release()`. */
function heldMerge(sourceTeamId: string, targetTeamId: string) {
  const locked = barrier();
  const gate = barrier();
  const done: Promise<MergeOutcome> = executeMerge(
    h.db.prisma,
    { sourceTeamId, targetTeamId, strategy: "rename", allowCrossOrganization: false },
    {
      now: new Date(),
      createdByUserId: admin.id,
      createdByServiceTokenId: null,
      audit: async (tx, event) => {
        await tx.auditEvent.create({
          data: {
            action: "team.merge",
            targetType: "team",
            targetId: targetTeamId,
            details: { mergeId: event.mergeId },
          },
        });
      },
      afterLock: async () => {
        locked.open();
        await gate.promise;
      },
    },
  );
  done.catch(() => locked.open());
  return { locked: locked.promise, release: gate.open, done };
}

const syncAll = () => drainUntilDone(h);

/**
 * The two stores agree: every key row is on LiteLLM once, in its team's identity, with the
 * alias of its current name; and LiteLLM holds no Gatehouse key without a row.
 */
async function expectInStep(): Promise<void> {
  const rows = await h.db.prisma.apiKey.findMany({
    select: { id: true, name: true, teamId: true, litellmKeyId: true },
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const onProxy = [...h.litellm.state.keys.values()];
  for (const k of onProxy) {
    const rowId = k.metadata.gatehouse_key_id;
    expect(
      typeof rowId === "string" && byId.has(rowId),
      `LiteLLM key ${k.keyAlias} has no row`,
    ).toBe(true);
  }
  for (const row of rows) {
    const matches = onProxy.filter((k) => k.metadata.gatehouse_key_id === row.id);
    expect(matches, `row ${row.name}`).toHaveLength(1);
    expect(matches[0]).toMatchObject({
      token: row.litellmKeyId,
      teamId: euTeam(row.teamId),
      keyAlias: litellmKeyAlias(euTeam(row.teamId), row.name),
    });
  }
}

describe("merge concurrency through the API", () => {
  it("A->B racing B->A: one merge done, the other refused with NOT_FOUND", async () => {
    for (let round = 0; round < 3; round++) {
      const A = await team();
      const B = await team();
      await key(A, "a-key");
      await key(B, "b-key");
      await key(A, "both");
      await key(B, "both");
      const [ab, ba] = await Promise.all([merge(A, B), merge(B, A)]);
      const statuses = [ab.status, ba.status].sort();
      expect(statuses).toEqual([200, 404]);
      const refused = ab.status === 404 ? ab : ba;
      expect(refused.error?.data.code).toBe("NOT_FOUND");
      const survivor = ab.status === 200 ? B : A;
      const names = (
        await h.db.prisma.apiKey.findMany({ where: { teamId: survivor }, select: { name: true } })
      )
        .map((k) => k.name)
        .sort();
      expect(names).toHaveLength(4);
      expect(new Set(names).size).toBe(4);
      expect(await h.db.prisma.team.count({ where: { id: { in: [A, B] } } })).toBe(1);
    }
    await syncAll();
    await expectInStep();
  });

  it("A->B held while B->A is requested: the second waits for the lock and is refused", async () => {
    const A = await team();
    const B = await team();
    await key(A, "held-a");
    const first = heldMerge(A, B);
    await first.locked;
    const second = merge(B, A);
    await waitForLockWaiters(h.db, 1);
    first.release();
    await first.done;
    const res = await second;
    expect(res.status).toBe(404);
    expect(res.error?.message).toBe("Target team not found");
    h.worker.nudge();
    await syncAll();
    await expectInStep();
  });

  it("two merges into one target: both succeed in sequence, every key present once", async () => {
    const A = await team();
    const B = await team();
    const T = await team();
    for (const n of ["x", "y", "shared"]) await key(A, n);
    for (const n of ["x", "z", "shared"]) await key(B, n);
    await key(T, "shared");
    const first = heldMerge(A, T);
    await first.locked;
    const second = merge(B, T);
    await waitForLockWaiters(h.db, 1);
    first.release();
    await first.done;
    expect((await second).status).toBe(200);
    const names = (
      await h.db.prisma.apiKey.findMany({ where: { teamId: T }, select: { name: true } })
    ).map((k) => k.name);
    expect(names).toHaveLength(7);
    expect(new Set(names).size).toBe(7);
    h.worker.nudge();
    await syncAll();
    await expectInStep();
  });

  it("keys.create on the source while the merge holds it: refused, no row, nothing on LiteLLM", async () => {
    const S = await team();
    const T = await team();
    await key(S, "before");
    const held = heldMerge(S, T);
    await held.locked;
    const since = h.litellm.state.snapshot().requestCount;
    const create = createKey(S, "during");
    // Real server: keys.create's FOR SHARE on the team waits behind the merge's FOR UPDATE.
    await waitForLockWaiters(h.db, 1);
    held.release();
    await held.done;
    const res = await create;
    expect(res.status).toBe(404);
    expect(await h.db.prisma.apiKey.count({ where: { name: "during" } })).toBe(0);
    // keys.create never reached LiteLLM.
    const log = h.litellm.state.requestsSince(since);
    expect(log.filter((r) => r.path === "/key/generate")).toHaveLength(0);
    h.worker.nudge();
    await syncAll();
    await expectInStep();
  });

  it("keys.create committed its row just before the merge: the key is moved, and LiteLLM follows", async () => {
    const S = await team();
    const T = await team();
    const creator = await insertUserWithSession(h, { email: `creator${++seq}@race.test` });
    await addTeamMember(h.db, S, creator.id, "KEY_CREATOR");
    await key(S, "existing");
    // keys.create writes its row first, then talks to LiteLLM: slow LiteLLM keeps it there.
    h.litellm.faults.setLatency(150);
    const create = createKey(S, "racing", creator.creds);
    const row = await waitFor(() =>
      h.db.prisma.apiKey.findFirst({ where: { teamId: S, name: "racing" } }),
    );
    const merged = await merge(S, T);
    expect(merged.status).toBe(200);
    expect(await h.db.prisma.apiKey.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      teamId: T,
      name: "racing",
    });
    const created = await create;
    expect(created.status).toBe(200);
    h.litellm.faults.setLatency(0);
    await syncAll();
    expect(
      (
        await h.queryOk<Out<"teams.mergeStatus">>(
          "teams.mergeStatus",
          { mergeId: merged.data.mergeId },
          admin.creds,
        )
      ).status,
    ).toBe("DONE");
    const onProxy = h.litellm.state.getKey(created.data.secret);
    expect(onProxy).toMatchObject({
      teamId: euTeam(T),
      keyAlias: litellmKeyAlias(euTeam(T), "racing"),
      userId: creator.id,
    });
    // Its owner became a member of the target team on LiteLLM.
    expect(h.litellm.state.getTeam(euTeam(T))?.members.has(creator.id)).toBe(true);
    await expectInStep();
  });

  it("keys.create whose LiteLLM call fails after the merge moved its row: row removed, queued move is moot", async () => {
    const S = await team();
    const T = await team();
    h.litellm.faults.setLatency(150);
    h.litellm.faults.failNext(1, 503, { path: "/key/generate" });
    const create = createKey(S, "doomed");
    const row = await waitFor(() =>
      h.db.prisma.apiKey.findFirst({ where: { teamId: S, name: "doomed" } }),
    );
    const merged = await merge(S, T);
    expect(merged.status).toBe(200);
    expect((await create).status).toBe(503);
    h.litellm.faults.setLatency(0);
    expect(await h.db.prisma.apiKey.findUnique({ where: { id: row.id } })).toBeNull();
    await syncAll();
    const jobs = await h.db.prisma.job.findMany({ where: { apiKeyId: row.id } });
    expect(jobs.map((j) => [j.kind, j.status]).sort()).toEqual([
      ["litellm.deleteKey", "DONE"],
      ["litellm.moveKey", "DONE"],
    ]);
    await expectInStep();
  });
});

/** Polls until `probe` yields a value: a barrier on a committed row, not a fixed sleep. */
async function waitFor<T>(probe: () => Promise<T | null>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error("condition not reached");
    await new Promise((r) => setTimeout(r, 5));
  }
}
