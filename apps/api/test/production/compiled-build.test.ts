/**
 * The compiled build as production runs it: build.mjs bundles the API to JavaScript, plain
 * `node` starts it (no tsx, no TypeScript) on a real database, and after a few calls the
 * Prometheus scrape shows the counters moved: procedure durations and errors, a login
 * failure, a LiteLLM call (a key created on the contract server), the job queue and the
 * pool. /readyz, /openapi.json and the metrics token are checked on the same process.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createTestDatabase, testBackend, type TestDatabase } from "@gatehouse/db/testing";
import { startContractServer, type ContractServer } from "@gatehouse/litellm/contract-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../support/http.ts";
import * as fx from "../support/fixtures.ts";
import { startApiProcess, stopAll, type ApiProcess } from "../support/processes.ts";

const apiRoot = path.resolve(import.meta.dirname, "../..");
// Under apps/api so that node resolves the bundle's packages from apps/api/node_modules.
const outdir = path.join(
  apiRoot,
  "node_modules",
  ".cache",
  `gatehouse-build-test-${process.pid}-${testBackend()}`,
);
const METRICS_TOKEN = "metrics-token-for-the-build-test";

let db: TestDatabase;
let litellm: ContractServer;
let api: ApiProcess;
let bearer: string;
let teamId: string;
let regionId: string;

beforeAll(async () => {
  const build = spawnSync(process.execPath, ["build.mjs", "--outdir", outdir], {
    cwd: apiRoot,
    encoding: "utf8",
  });
  expect(build.status, `${build.stdout}\n${build.stderr}`).toBe(0);
  db = await createTestDatabase();
  litellm = await startContractServer({ masterKey: fx.LITELLM_MASTER_KEY, port: 0 });
  const orgId = await fx.insertOrganization(db, "Build Org");
  teamId = await fx.insertTeam(db, { name: "Build Team", organizationId: orgId });
  regionId = (await fx.insertRegion(db, { name: "build region", url: litellm.url })).id;
  bearer = await fx.insertServiceToken(db, { admin: true });
  await fx.insertUser(db, { email: "someone@build.example.com" });
  api = await startApiProcess(
    "compiled api",
    {
      DATABASE_URL: db.url,
      // PGlite's socket server wants one connection per client (see test/support/harness.ts).
      GATEHOUSE_DB_POOL_MAX: db.backend === "pglite" ? "1" : "4",
      GATEHOUSE_METRICS_TOKEN: METRICS_TOKEN,
      GATEHOUSE_LOG_LEVEL: "warn",
      // A server database refuses to start with master keys in clear and no key to seal them.
      GATEHOUSE_SECRETS_KEY: "11".repeat(32),
    },
    path.join(outdir, "main.js"),
  );
}, 120_000);

afterAll(async () => {
  await stopAll();
  await litellm?.stop();
  await db?.close();
  fs.rmSync(outdir, { recursive: true, force: true });
});

async function scrape(
  token: string | null = METRICS_TOKEN,
): Promise<{ status: number; text: string; type: string | null }> {
  const res = await fetch(
    `${api.url}/metrics`,
    token ? { headers: { authorization: `Bearer ${token}` } } : {},
  );
  return { status: res.status, text: await res.text(), type: res.headers.get("content-type") };
}

/** The value of one sample, by metric name and exact labels (in any order); 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return 0;
}

describe("the compiled build", () => {
  it("runs on plain node from dist, without TypeScript", () => {
    expect(api.child.spawnargs).not.toContain("tsx");
    expect(
      api.child.spawnargs.some((arg) => arg.endsWith(path.join(path.basename(outdir), "main.js"))),
    ).toBe(true);
    expect(fs.readdirSync(outdir).filter((f) => f.endsWith(".ts"))).toEqual([]);
  });

  it("answers /healthz, /readyz (with the in-process worker) and /openapi.json", async () => {
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${api.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: "ready",
      checks: { database: "reachable", migrations: "applied", worker: "running" },
    });
    const openapi = (await (await fetch(`${api.url}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(openapi.openapi).toBe("3.1.0");
    expect(openapi.paths["/trpc/teams.list"]).toBeDefined();
  });

  it("serves /metrics only with the token", async () => {
    expect((await scrape(null)).status).toBe(401);
    expect((await scrape("wrong-token-wrong-token")).status).toBe(401);
    const ok = await scrape();
    expect(ok.status).toBe(200);
    expect(ok.type).toContain("text/plain");
  });

  it("counts calls, errors, login failures, LiteLLM calls, jobs and the pool", async () => {
    const before = (await scrape()).text;
    const durationCount = (text: string) =>
      sample(text, "gatehouse_trpc_request_duration_seconds_count", {
        procedure: "auth.me",
        type: "query",
        status_class: "2xx",
      });

    expect(
      (await call(api.url, "query", "auth.me", undefined, { credentials: { bearer } })).status,
    ).toBe(200);
    expect(
      (await call(api.url, "query", "auth.me", undefined, { credentials: { bearer } })).status,
    ).toBe(200);
    expect((await call(api.url, "query", "teams.list", {})).status).toBe(401);
    const login = await call(api.url, "mutation", "auth.login", {
      email: "someone@build.example.com",
      password: "not the right password",
    });
    expect(login.status).toBe(401);
    const key = await call(
      api.url,
      "mutation",
      "keys.create",
      { teamId, name: "metrics-key", regionId },
      { credentials: { bearer } },
    );
    expect(key.status).toBe(200);

    const after = (await scrape()).text;
    expect(durationCount(after) - durationCount(before)).toBe(2);
    expect(
      sample(after, "gatehouse_trpc_errors_total", {
        procedure: "teams.list",
        code: "UNAUTHORIZED",
      }),
    ).toBe(
      sample(before, "gatehouse_trpc_errors_total", {
        procedure: "teams.list",
        code: "UNAUTHORIZED",
      }) + 1,
    );
    expect(sample(after, "gatehouse_login_failures_total", { reason: "bad_credentials" })).toBe(
      sample(before, "gatehouse_login_failures_total", { reason: "bad_credentials" }) + 1,
    );
    const litellmCalls = (text: string) =>
      sample(text, "gatehouse_litellm_request_duration_seconds_count", {
        region: "build region",
        endpoint: "POST /key/generate",
        outcome: "ok",
      });
    expect(litellmCalls(after)).toBeGreaterThan(litellmCalls(before));
    // Read at scrape time: present even when zero.
    expect(after).toMatch(/^gatehouse_jobs_oldest_pending_age_seconds \d/m);
    expect(after).toMatch(/^gatehouse_db_pool_connections\{state="in_use"\} \d/m);
    expect(after).toMatch(/^gatehouse_db_pool_waiting \d/m);
    expect(after).toMatch(/^gatehouse_process_resident_memory_bytes \d/m);
  });
});
