/**
 * A worker process killed (SIGKILL) in the middle of a LiteLLM call leaves nothing half
 * done: the job it held stays RUNNING under its lease; once the lease ends another worker
 * process takes it over, repeats the (idempotent) call and finishes the whole merge: every
 * job DONE, the merge DONE, every key moved to the target team on LiteLLM with its new
 * alias, and the database agreeing.
 *
 * Workers are real `src/worker/main.ts` processes with a short lease
 * (GATEHOUSE_WORKER_LEASE_MS); the merge is submitted through the real HTTP API; LiteLLM is
 * the contract server, made slow so the kill lands mid-call.
 */
import { litellmKeyAlias, litellmTeamId } from "@gatehouse/core";
import { startContractServer, type ContractServer } from "@gatehouse/litellm/contract-server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Harness, pglitePoolMax, startHarness } from "../support/harness.ts";
import { type Credentials, type Out } from "../support/http.ts";
import {
  insertRegion,
  insertSession,
  insertUser,
  LITELLM_MASTER_KEY,
} from "../support/fixtures.ts";
import { startWorkerProcess, stopAll } from "../support/processes.ts";

// The kill must land while a call is in flight: the test waits until the contract server
// holds a request, and the latency leaves seconds for the SIGKILL even on a loaded CI box.
const LEASE_MS = 6_000;
const LATENCY_MS = 4_000;
/** The API and its workers share one operator key (the workers seal the master key). */
const SECRETS_KEY = "22".repeat(32);

let h: Harness;
let litellm: ContractServer;
let admin: Credentials;
let region: { id: string; name: string };

beforeAll(async () => {
  h = await startHarness({ serialPglite: true, env: { GATEHOUSE_SECRETS_KEY: SECRETS_KEY } });
  litellm = await startContractServer({ masterKey: LITELLM_MASTER_KEY, port: 0 });
  region = await insertRegion(h.db, { name: "crash region", url: litellm.url });
  admin = {
    cookie: await insertSession(
      h,
      await insertUser(h.db, { email: "admin@crash.example.com", isSystemAdmin: true }),
    ),
  };
}, 60_000);
afterAll(async () => {
  await stopAll();
  await h?.close();
  await litellm?.stop();
});

const workerEnv = (): Record<string, string> => ({
  DATABASE_URL: h.db.url,
  GATEHOUSE_WORKER_LEASE_MS: String(LEASE_MS),
  GATEHOUSE_WORKER_POLL_MS: "100",
  GATEHOUSE_WORKER_REQUEST_TIMEOUT_MS: "5000",
  // A server database refuses to start with master keys in clear and no key to seal them.
  GATEHOUSE_SECRETS_KEY: SECRETS_KEY,
  ...(pglitePoolMax() ? { GATEHOUSE_DB_POOL_MAX: "1" } : {}),
});

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it(
  "a worker killed mid-call: another finishes the job after the lease, and the merge completes whole",
  { timeout: 120_000 },
  async () => {
    const source = await h.db.prisma.team.create({ data: { name: "crash source" } });
    const target = await h.db.prisma.team.create({ data: { name: "crash target" } });
    // Keys made the way users make them (row + LiteLLM key), no worker needed for that.
    const keys = await Promise.all(
      ["alpha", "beta", "gamma"].map((name) =>
        h.mutationOk<Out<"keys.create">>(
          "keys.create",
          { teamId: source.id, name, regionId: region.id },
          admin,
        ),
      ),
    );
    const merged = await h.mutationOk<Out<"teams.merge">>(
      "teams.merge",
      { sourceTeamId: source.id, targetTeamId: target.id, strategy: "rename" },
      admin,
    );
    expect(merged.jobs).toBeGreaterThanOrEqual(5);

    litellm.faults.setLatency(LATENCY_MS);
    const a = await startWorkerProcess("worker A", workerEnv());
    // Worker A holds a job and its LiteLLM call is under way: the contract server is holding
    // the request (the first call of the first job, so no earlier call can have finished).
    const held = await waitFor("worker A to be mid-call", async () => {
      if (litellm.delayedRequests === 0) return null;
      return h.db.prisma.job.findFirst({
        where: {
          mergeId: merged.mergeId,
          status: "RUNNING",
          lockedBy: { contains: `:${a.child.pid}:` },
        },
      });
    });
    a.signal("SIGKILL");
    expect((await a.exited(10_000)).signal).toBe("SIGKILL");

    // Left exactly as it was: RUNNING, A's lease, not done.
    const orphan = await h.db.prisma.job.findUniqueOrThrow({ where: { id: held.id } });
    expect(orphan).toMatchObject({ status: "RUNNING", attempts: 1, lockedBy: held.lockedBy });

    litellm.faults.setLatency(0);
    const b = await startWorkerProcess("worker B", workerEnv());
    const merge = await waitFor("the merge to complete", async () => {
      const m = await h.db.prisma.teamMerge.findUniqueOrThrow({ where: { id: merged.mergeId } });
      return m.status === "DONE" ? m : null;
    });
    expect(merge.completedAt).not.toBeNull();

    // The orphaned job was taken over only after its lease ended, and done on a second try.
    const redone = await h.db.prisma.job.findUniqueOrThrow({ where: { id: held.id } });
    expect(redone).toMatchObject({ status: "DONE", attempts: 2, lockedBy: null });
    expect(redone.updatedAt.getTime()).toBeGreaterThanOrEqual(orphan.lockedUntil!.getTime());
    const jobs = await h.db.prisma.job.findMany({ where: { mergeId: merged.mergeId } });
    expect(jobs.map((j) => j.status)).toEqual(jobs.map(() => "DONE"));

    // Nothing half done on LiteLLM: the target team exists, and every key moved to it with
    // the alias of its (unchanged) name.
    const targetTeam = litellmTeamId(region.name, target.id);
    const state = litellm.state.snapshot();
    expect(state.teams.map((t) => t.teamId)).toContain(targetTeam);
    const rows = await h.db.prisma.apiKey.findMany({
      where: { id: { in: keys.map((k) => k.key.id) } },
    });
    expect(rows.map((r) => r.teamId)).toEqual(rows.map(() => target.id));
    for (const row of rows) {
      const onProxy = state.keys.find((k) => k.token === row.litellmKeyId);
      expect(onProxy, row.name).toMatchObject({
        teamId: targetTeam,
        keyAlias: litellmKeyAlias(targetTeam, row.name),
      });
    }
    expect(await h.db.prisma.team.findUnique({ where: { id: source.id } })).toBeNull();

    b.signal("SIGTERM");
    expect((await b.exited(20_000)).code).toBe(0);
  },
);
