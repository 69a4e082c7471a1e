/**
 * One validated configuration (src/config.ts) serves main, the standalone worker and the
 * CLI: `npm start`'s in-process worker follows GATEHOUSE_WORKER_CONCURRENCY / _LEASE_MS /
 * _POLL_MS / _REQUEST_TIMEOUT_MS like the standalone one, and numeric settings
 * (GATEHOUSE_DB_POOL_MAX, GATEHOUSE_PGLITE_PORT, GATEHOUSE_DEMO_LITELLM_PORT) never become
 * NaN: a bad value ends the process with one line naming the variable.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDatabase, testBackend } from "@gatehouse/db/testing";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { startApiProcess, stopAll } from "../support/processes.ts";

const apiRoot = path.resolve(import.meta.dirname, "../..");
// Never the repository's own .data: a process that got past its configuration would open it.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-config-"));

/** Runs an entry point to its end; resolves with its exit code and everything it printed. */
function run(
  script: string,
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.join(apiRoot, script), ...args],
      {
        cwd: apiRoot,
        env: { ...process.env, GATEHOUSE_DATA_DIR: dataDir, DATABASE_URL: "", ...env },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${script} did not exit:\n${output}`));
    }, 30_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

afterAll(() => stopAll());

describe("bad configuration ends the process with one line naming the variable", () => {
  const cases: Array<[string, string, Record<string, string>, string[]?]> = [
    ["src/main.ts", "GATEHOUSE_DB_POOL_MAX", { GATEHOUSE_DB_POOL_MAX: "ten" }],
    ["src/main.ts", "GATEHOUSE_PGLITE_PORT", { GATEHOUSE_PGLITE_PORT: "not-a-port" }],
    ["src/main.ts", "GATEHOUSE_DEMO_LITELLM_PORT", { GATEHOUSE_DEMO_LITELLM_PORT: "4010x" }],
    ["src/main.ts", "GATEHOUSE_WORKER_CONCURRENCY", { GATEHOUSE_WORKER_CONCURRENCY: "lots" }],
    ["src/main.ts", "GATEHOUSE_WORKER_LEASE_MS", { GATEHOUSE_WORKER_LEASE_MS: "-5" }],
    ["src/main.ts", "GATEHOUSE_WORKER", { GATEHOUSE_WORKER: "sometimes" }],
    [
      "src/worker/main.ts",
      "GATEHOUSE_WORKER_POLL_MS",
      { DATABASE_URL: "postgresql://nobody@127.0.0.1:1/none", GATEHOUSE_WORKER_POLL_MS: "soon" },
    ],
    [
      "src/cli/index.ts",
      "GATEHOUSE_PGLITE_PORT",
      { GATEHOUSE_PGLITE_PORT: "NaN" },
      ["create-admin", "--email", "a@config.example.com", "--password", "long enough password"],
    ],
  ];
  for (const [script, variable, env, args] of cases) {
    it(`${script}: ${variable}=${Object.values(env).at(-1)}`, async () => {
      const { code, output } = await run(script, env, args);
      expect(code).toBe(1);
      const lines = output.trim().split("\n");
      expect(lines, output).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^gatehouse: invalid configuration: ${variable}: `));
    });
  }
});

describe("the configuration is what every entry point uses", () => {
  it("parses the worker, pool and port settings", () => {
    const config = loadConfig({
      GATEHOUSE_WORKER_CONCURRENCY: "4",
      GATEHOUSE_WORKER_LEASE_MS: "45000",
      GATEHOUSE_WORKER_POLL_MS: "250",
      GATEHOUSE_WORKER_REQUEST_TIMEOUT_MS: "5000",
      GATEHOUSE_DB_POOL_MAX: "3",
      GATEHOUSE_PGLITE_PORT: "0",
      GATEHOUSE_DEMO_LITELLM_PORT: "4999",
    });
    expect(config.worker).toEqual({
      concurrency: 4,
      leaseMs: 45000,
      pollIntervalMs: 250,
      requestTimeoutMs: 5000,
    });
    expect(config.database).toEqual({ poolMax: 3, pglitePort: 0 });
    expect(config.demo.litellmPort).toBe(4999);
    expect(loadConfig({ GATEHOUSE_WORKER: "off" }).worker).toBeNull();
    // An empty variable is unset, as before.
    expect(loadConfig({ GATEHOUSE_DB_POOL_MAX: "" }).database.poolMax).toBe(10);
  });

  it("npm start's in-process worker runs with GATEHOUSE_WORKER_* settings", async () => {
    const db = await createTestDatabase();
    try {
      const api = await startApiProcess("configured api", {
        DATABASE_URL: db.url,
        GATEHOUSE_WORKER_CONCURRENCY: "3",
        GATEHOUSE_WORKER_LEASE_MS: "45000",
        GATEHOUSE_WORKER_POLL_MS: "750",
        GATEHOUSE_WORKER_REQUEST_TIMEOUT_MS: "4000",
        ...(testBackend() === "pglite" ? { GATEHOUSE_DB_POOL_MAX: "1" } : {}),
      });
      const started = api
        .output()
        .split("\n")
        .filter((line) => line.includes('"worker started"'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(started, api.output()).toHaveLength(1);
      expect(started[0]).toMatchObject({
        concurrency: 3,
        leaseMs: 45000,
        pollIntervalMs: 750,
        requestTimeoutMs: 4000,
      });
      api.signal("SIGTERM");
      expect((await api.exited()).code).toBe(0);
    } finally {
      await stopAll();
      await db.close();
    }
  }, 120_000);
});
