/**
 * /readyz against real outages, played with the TCP proxy (support/tcp-proxy.ts), on both
 * backends; /healthz stays the liveness answer:
 * - the database cut (connections refused): 503 "unreachable", 200 again once it is back;
 * - migrations pending: 503 naming them;
 * - the in-process worker unable to claim (its own connection cut) for longer than its
 *   lease: 503 naming the worker, while the database itself is reachable.
 */
import { createDatabase, type Database } from "@gatehouse/db";
import { createTestDatabase, type TestDatabase } from "@gatehouse/db/testing";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/server.ts";
import { startWorker, type Worker } from "../../src/worker/worker.ts";
import { type Harness, pglitePoolMax, startHarness } from "../support/harness.ts";
import { hostPort, startFaultProxy, type FaultProxy } from "../support/tcp-proxy.ts";

const CONNECT_TIMEOUT_MS = 1_000;

interface Readiness {
  status: number;
  body: { status: string; checks: Record<string, string> };
}

async function readyz(url: string): Promise<Readiness> {
  const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(30_000) });
  return { status: res.status, body: (await res.json()) as Readiness["body"] };
}

/** Polls /readyz until it answers `status` (outages and recoveries take a moment to show). */
async function readyzBecomes(url: string, status: number, deadlineMs = 20_000): Promise<Readiness> {
  const deadline = Date.now() + deadlineMs;
  let last = await readyz(url);
  while (last.status !== status && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await readyz(url);
  }
  expect(last.status, JSON.stringify(last.body)).toBe(status);
  return last;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("/readyz", () => {
  it("is 503 while the database is cut and 200 again once it is back; /healthz answers throughout", async () => {
    const poolMax = pglitePoolMax();
    const db = await createTestDatabase(poolMax ? { poolMax } : {});
    const proxy: FaultProxy = await startFaultProxy(hostPort(db.url));
    const h: Harness = await startHarness({
      db,
      serialPglite: true,
      apiUrl: (d) => proxy.url(d.url),
      connectionTimeoutMs: CONNECT_TIMEOUT_MS,
    });
    cleanups.push(
      () => proxy.close(),
      () => h.close(),
    );

    const ready = await readyz(h.url);
    expect(ready).toEqual({
      status: 200,
      body: { status: "ready", checks: { database: "reachable", migrations: "applied" } },
    });

    await proxy.refuse();
    const down = await readyz(h.url);
    expect(down.status).toBe(503);
    expect(down.body.checks.database).toBe("unreachable");
    // Liveness is a separate question: the process answers (with the database's state).
    expect((await fetch(`${h.url}/healthz`)).status).toBe(503);

    await proxy.restore();
    await readyzBecomes(h.url, 200);
  });

  it("is 503 while migrations are pending", async () => {
    const poolMax = pglitePoolMax();
    const db = await createTestDatabase({ migrate: false, ...(poolMax ? { poolMax } : {}) });
    const h = await startHarness({ db, serialPglite: true });
    cleanups.push(() => h.close());
    const notReady = await readyz(h.url);
    expect(notReady.status).toBe(503);
    expect(notReady.body.checks).toMatchObject({
      database: "reachable",
      migrations: expect.stringMatching(/^pending: [1-9]/),
    });
  });

  it("is 503 when the in-process worker has not claimed for longer than its lease, though the database is up", async () => {
    const poolMax = pglitePoolMax();
    const db: TestDatabase = await createTestDatabase(poolMax ? { poolMax } : {});
    const proxy = await startFaultProxy(hostPort(db.url));
    // The worker's own pool goes through the proxy; the API's does not.
    const workerDb: Database = createDatabase({
      url: proxy.url(db.url),
      poolMax: poolMax ?? 2,
      connectionTimeoutMs: CONNECT_TIMEOUT_MS,
    });
    const h = await startHarness({ db, serialPglite: true });
    const { logger } = h;
    const worker: Worker = startWorker(
      { db: workerDb, logger },
      { leaseMs: 1_500, pollIntervalMs: 50, requestTimeoutMs: 500 },
    );
    const server: RunningServer = await h.startServer({ jobs: worker });
    cleanups.push(
      () => proxy.close(),
      () => h.close(),
      () => workerDb.close(),
      () => worker.stop(),
    );

    const ready = await readyzBecomes(server.url, 200);
    expect(ready.body.checks.worker).toBe("running");

    await proxy.refuse();
    const stuck = await readyzBecomes(server.url, 503);
    expect(stuck.body.checks).toMatchObject({
      database: "reachable",
      migrations: "applied",
      worker: expect.stringMatching(/^no claim for/),
    });

    await proxy.restore();
    await readyzBecomes(server.url, 200);
  });
});
