/**
 * The soak benchmark's API child: the real Gatehouse process (`src/main.ts`, API and
 * in-process worker) with the memory probe preloaded, its memory samples collected from
 * its stdout.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { API_NODE_FLAGS, benchSecretsKey, childEnv } from "../config.ts";

const apiRoot = path.resolve(import.meta.dirname, "../../../api");

export interface MemorySample {
  tag: "tick" | "gc";
  t: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

export interface Api {
  url: URL;
  child: ChildProcess;
  samples: MemorySample[];
  /** Resolves with the next "gc" sample (after asking the child to collect garbage). */
  gcSample(): Promise<MemorySample>;
}

export async function startApi(
  databaseUrl: string,
  sampleMs: number,
  profileDir: string | undefined,
): Promise<Api> {
  const child = spawn(
    process.execPath,
    [
      "--expose-gc",
      ...API_NODE_FLAGS,
      // BENCH_CPU_PROF=<dir>: the API writes a V8 CPU profile to <dir>/soak-api/ on exit.
      ...(profileDir ? ["--cpu-prof", "--cpu-prof-dir", path.join(profileDir, "soak-api")] : []),
      "--import",
      "tsx",
      "--import",
      path.join(import.meta.dirname, "memory-probe.ts"),
      path.join(apiRoot, "src", "main.ts"),
    ],
    {
      cwd: apiRoot,
      env: childEnv({
        DATABASE_URL: databaseUrl,
        PORT: "0",
        HOST: "127.0.0.1",
        GATEHOUSE_LOG_LEVEL: "warn",
        GATEHOUSE_DB_POOL_MAX: "16",
        SOAK_SAMPLE_MS: String(sampleMs),
        // The request mix only: on generated data the expiry sweep's first pass blocks about
        // a fifth of all teams and queues a proxy job for each on the soak's region (44,000
        // jobs at 200k teams), which then competes with the mix for the whole run. The sweep
        // and reconciliation have their own measurements (docs/benchmarks.md).
        GATEHOUSE_ENFORCE_INTERVAL_MS: "0",
        GATEHOUSE_RECONCILE_INTERVAL_MS: "0",
        GATEHOUSE_SECRETS_KEY: benchSecretsKey,
      }),
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const samples: MemorySample[] = [];
  const gcWaiters: Array<(s: MemorySample) => void> = [];
  let buffered = "";
  const url = await new Promise<URL>((resolve, reject) => {
    child.once("exit", (code) =>
      reject(new Error(`the API exited with ${code} before it was ready`)),
    );
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const text of lines) {
        const ready = /Gatehouse is running at (http:\/\/\S+)/.exec(text);
        if (ready) resolve(new URL(ready[1]!));
        if (text.startsWith("SOAK_MEM ")) {
          const sample = JSON.parse(text.slice("SOAK_MEM ".length)) as MemorySample;
          samples.push(sample);
          if (sample.tag === "gc") gcWaiters.shift()?.(sample);
        }
      }
    });
  });
  return {
    url,
    child,
    samples,
    gcSample() {
      return new Promise((resolve) => {
        gcWaiters.push(resolve);
        child.kill("SIGUSR2");
      });
    },
  };
}
