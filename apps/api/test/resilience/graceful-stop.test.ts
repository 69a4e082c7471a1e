/**
 * SIGTERM on a real Gatehouse process (`node --import tsx src/main.ts`, API + in-process
 * worker, DATABASE_URL on a test database): a slow request started before the signal
 * completes with 200, new connections are refused at once, the worker finishes the
 * LiteLLM call it has in flight and records it (the job is DONE, not left RUNNING for a
 * lease to expire), and the process exits 0 promptly, with nothing left to wait for.
 *
 * The slow request is keys.create, which calls the LiteLLM contract server (started here)
 * three times while it is told to add latency.
 *
 * In demo mode (`GATEHOUSE_DEMO=1`, which `npm start` implies on the embedded database) the
 * process runs its own LiteLLM contract server; it used to be stopped before the worker,
 * cutting the worker's call in flight (src/main.ts stop order).
 */
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { litellmKeyToken } from "@gatehouse/litellm";
import { startContractServer, type ContractServer } from "@gatehouse/litellm/contract-server";
import { createTestDatabase, type TestDatabase } from "@gatehouse/db/testing";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { hashToken, newOpaqueToken, SESSION_TOKEN_PREFIX } from "../../src/auth/tokens.ts";
import { pglitePoolMax } from "../support/harness.ts";
import { LITELLM_MASTER_KEY } from "../support/fixtures.ts";
import { startApiProcess, stopAll } from "../support/processes.ts";

const LATENCY_MS = 1_000;

/** A session token for `userId`, good for an hour: the API runs as a process here, without a harness. */
async function sessionTokenFor(database: TestDatabase, userId: string): Promise<string> {
  const token = newOpaqueToken(SESSION_TOKEN_PREFIX);
  const in1h = new Date(Date.now() + 3_600_000);
  await database.prisma.session.create({
    data: { tokenHash: hashToken(token), userId, idleExpiresAt: in1h, absoluteExpiresAt: in1h },
  });
  return token;
}

let db: TestDatabase;
let litellm: ContractServer;
let cookie: string;
let teamId: string;
let regionId: string;

beforeAll(async () => {
  const poolMax = pglitePoolMax();
  db = await createTestDatabase(poolMax ? { poolMax } : {});
  litellm = await startContractServer({ masterKey: LITELLM_MASTER_KEY, port: 0 });
  const admin = await db.prisma.user.create({
    data: {
      email: "admin@sigterm.example.com",
      name: "Admin",
      passwordHash: "x",
      isSystemAdmin: true,
    },
  });
  const token = await sessionTokenFor(db, admin.id);
  cookie = `gh_session=${token}`;
  teamId = (await db.prisma.team.create({ data: { name: "sigterm team" } })).id;
  regionId = (
    await db.prisma.region.create({
      data: { name: "sigterm", litellmBaseUrl: litellm.url, litellmMasterKey: LITELLM_MASTER_KEY },
    })
  ).id;
}, 60_000);
afterEach(() => stopAll());
afterAll(async () => {
  await litellm?.stop();
  await db?.close();
});

/**
 * One request on its own connection (what a new client would see), or on `agent`'s
 * keep-alive connections (what a browser or a load balancer holds open).
 */
function freshRequest(
  url: string,
  init: { method?: string; path: string; body?: string; agent?: http.Agent },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(init.path, url),
      {
        method: init.method ?? "GET",
        agent: init.agent ?? false,
        headers: {
          cookie,
          "x-gatehouse-csrf": "1",
          "content-type": "application/json",
          ...(init.agent ? {} : { connection: "close" }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
        );
      },
    );
    req.on("error", reject);
    if (init.body) req.write(init.body);
    req.end();
  });
}

async function waitFor(
  what: string,
  condition: () => Promise<boolean> | boolean,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

it(
  "drains a slow request and the worker's job in flight, refuses new connections, and exits 0",
  { timeout: 120_000 },
  async () => {
    const api = await startApiProcess("api", {
      DATABASE_URL: db.url,
      ...(pglitePoolMax() ? { GATEHOUSE_DB_POOL_MAX: "1" } : {}),
    });
    // A key whose deletion gives the worker a LiteLLM call to be in the middle of.
    const doomed = await db.prisma.apiKey.create({
      data: {
        name: "doomed",
        teamId,
        regionId,
        keyPrefix: "sk-gh-x…",
        litellmKeyId: litellmKeyToken("sk-gh-doomed-secret"),
      },
    });
    litellm.faults.setLatency(LATENCY_MS);
    const since = litellm.state.requestsSince(0).at(-1)?.seq ?? 0;

    // The slow request: three LiteLLM calls at LATENCY_MS each. Once it is waiting on the
    // first, delete a key, so the worker is in the middle of a LiteLLM call too.
    // On a keep-alive connection, as a load balancer would send it: once answered, that
    // connection must not keep the stopping process alive.
    const keepAlive = new http.Agent({ keepAlive: true });
    const slow = freshRequest(api.url, {
      method: "POST",
      path: "/trpc/keys.create",
      body: JSON.stringify({ teamId, name: "made during shutdown", regionId }),
      agent: keepAlive,
    });
    await waitFor("the request to reach LiteLLM", () =>
      litellm.state.requestsSince(since).some((r) => r.path === "/team/new"),
    );
    const deleted = await freshRequest(api.url, {
      method: "POST",
      path: "/trpc/keys.delete",
      body: JSON.stringify({ keyId: doomed.id }),
    });
    expect(deleted.status, deleted.body).toBe(200);
    await waitFor(
      "the worker to be running the job",
      async () =>
        (await db.prisma.job.findFirst({ where: { apiKeyId: doomed.id } }))?.status === "RUNNING",
    );
    expect(
      litellm.state
        .requestsSince(since)
        .some((r) => r.path === "/key/generate" && r.status !== null),
    ).toBe(false);

    api.signal("SIGTERM");
    // New connections are refused as soon as the listener is closed.
    await waitFor("new connections to be refused", () =>
      freshRequest(api.url, { path: "/healthz" }).then(
        () => false,
        (error: NodeJS.ErrnoException) => error.code === "ECONNREFUSED",
      ),
    );

    const done = await slow;
    expect(done.status, done.body).toBe(200);
    const { code, afterMs } = await api.exited(30_000);
    keepAlive.destroy();
    expect(code, api.output().slice(-2000)).toBe(0);

    // The key made during shutdown exists in both places.
    const made = await db.prisma.apiKey.findFirstOrThrow({
      where: { teamId, name: "made during shutdown" },
    });
    expect(litellm.state.snapshot().keys.some((k) => k.token === made.litellmKeyId)).toBe(true);
    // The worker's call completed and was recorded before exit: DONE, called once.
    const job = await db.prisma.job.findFirstOrThrow({ where: { apiKeyId: doomed.id } });
    expect(job).toMatchObject({ status: "DONE", attempts: 1, lockedBy: null });
    const deletes = litellm.state.requestsSince(since).filter((r) => r.path === "/key/delete");
    expect(deletes).toHaveLength(1);
    // Nothing left to wait for once the work is done: not the 10 s stop deadline, not a
    // keep-alive timeout. (Three LiteLLM calls of LATENCY_MS each, plus a busy machine.)
    expect(afterMs).toBeLessThan(3 * LATENCY_MS + 4_000);
    expect(api.output()).toMatch(/"msg":"shutting down"/);
  },
);

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

it(
  "in demo mode, stops its LiteLLM only after the worker's call in flight is done",
  { timeout: 120_000 },
  async () => {
    const poolMax = pglitePoolMax();
    const demoDb = await createTestDatabase(poolMax ? { poolMax } : {});
    // The demo writes its credentials file next to the data folder: keep it out of the repo.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-demo-"));
    const litellmPort = await freePort();
    try {
      const api = await startApiProcess("demo api", {
        DATABASE_URL: demoDb.url,
        GATEHOUSE_DEMO: "1",
        GATEHOUSE_DATA_DIR: dataDir,
        GATEHOUSE_DEMO_LITELLM_PORT: String(litellmPort),
        ...(poolMax ? { GATEHOUSE_DB_POOL_MAX: "1" } : {}),
      });
      const demoLiteLLM = `http://127.0.0.1:${litellmPort}`;
      const admin = await demoDb.prisma.user.findFirstOrThrow({ where: { isSystemAdmin: true } });
      const token = await sessionTokenFor(demoDb, admin.id);
      const key = await demoDb.prisma.apiKey.findFirstOrThrow({
        where: { litellmKeyId: { not: null } },
      });

      const latency = await fetch(`${demoLiteLLM}/__control/latency`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ms: 1_500 }),
      });
      expect(latency.status).toBe(200);
      const deleted = await fetch(`${api.url}/trpc/keys.delete`, {
        method: "POST",
        headers: {
          cookie: `gh_session=${token}`,
          "x-gatehouse-csrf": "1",
          "content-type": "application/json",
        },
        body: JSON.stringify({ keyId: key.id }),
      });
      expect(deleted.status, await deleted.text()).toBe(200);
      await waitFor(
        "the worker to be running the job",
        async () =>
          (await demoDb.prisma.job.findFirst({ where: { apiKeyId: key.id } }))?.status ===
          "RUNNING",
      );

      api.signal("SIGTERM");
      const { code } = await api.exited(30_000);
      expect(code, api.output().slice(-2000)).toBe(0);
      const job = await demoDb.prisma.job.findFirstOrThrow({ where: { apiKeyId: key.id } });
      expect(job, "the call in flight completed and was recorded").toMatchObject({
        status: "DONE",
        attempts: 1,
        lastError: null,
      });
    } finally {
      await stopAll();
      fs.rmSync(dataDir, { recursive: true, force: true });
      await demoDb.close();
    }
  },
);
