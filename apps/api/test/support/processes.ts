/**
 * Gatehouse as real processes: `node --import tsx src/main.ts` (API + in-process worker)
 * and `src/worker/main.ts` (standalone worker), or a compiled build's `main.js` the way
 * production runs it (test/production/compiled-build.test.ts), on a test
 * database given as DATABASE_URL, so no embedded lock and no demo are involved. Children
 * are killed by their own pid only, and every child a test starts is stopped in `stopAll`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const apiRoot = path.resolve(import.meta.dirname, "../..");

export interface GatehouseProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Everything written to stdout and stderr so far (for failure messages). */
  output(): string;
  /** Resolves with the exit code and signal, or rejects after `timeoutMs`. */
  exited(
    timeoutMs?: number,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null; afterMs: number }>;
  signal(signal: NodeJS.Signals): void;
}

export interface ApiProcess extends GatehouseProcess {
  url: string;
}

const running = new Set<GatehouseProcess>();

/** The operator key of spawned processes (GATEHOUSE_SECRETS_KEY), unless a test sets one. */
export const PROCESS_SECRETS_KEY = "3c".repeat(32);

/**
 * `script` is a TypeScript source run through tsx, or (compiled: true) a file of the
 * compiled build run by plain node, as production does.
 */
function start(
  name: string,
  script: string,
  env: Record<string, string>,
  compiled = false,
): GatehouseProcess {
  const args = compiled
    ? ["--enable-source-maps", path.resolve(apiRoot, script)]
    : ["--import", "tsx", path.join(apiRoot, script)];
  const child = spawn(process.execPath, args, {
    cwd: apiRoot,
    // No periodic reconciliation or spend sync unless a test asks: their proxy reads would take injected faults.
    env: {
      ...process.env,
      GATEHOUSE_LOG_LEVEL: "info",
      GATEHOUSE_RECONCILE_INTERVAL_MS: "0",
      GATEHOUSE_SPEND_SYNC_INTERVAL_MS: "0",
      // A process on a PostgreSQL server refuses to start while region master keys are in
      // clear and it has no key to seal them; every spawned process shares this one.
      GATEHOUSE_SECRETS_KEY: PROCESS_SECRETS_KEY,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  let signalledAt = 0;
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const handle: GatehouseProcess = {
    name,
    child,
    output: () => output,
    async exited(timeoutMs = 30_000) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(`${name} did not exit within ${timeoutMs} ms:\n${output.slice(-3000)}`),
            ),
          timeoutMs,
        );
      });
      try {
        const result = await Promise.race([exit, deadline]);
        return { ...result, afterMs: signalledAt ? performance.now() - signalledAt : 0 };
      } finally {
        clearTimeout(timer);
        running.delete(handle);
      }
    },
    signal(signal) {
      signalledAt = performance.now();
      child.kill(signal);
    },
  };
  running.add(handle);
  void exit.then(() => running.delete(handle));
  return handle;
}

async function waitForOutput(
  proc: GatehouseProcess,
  pattern: RegExp,
  timeoutMs: number,
): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(proc.output());
    if (match) return match;
    if (proc.child.exitCode !== null)
      throw new Error(
        `${proc.name} exited (${proc.child.exitCode}) before it was ready:\n${proc.output().slice(-3000)}`,
      );
    if (Date.now() > deadline)
      throw new Error(
        `${proc.name} not ready within ${timeoutMs} ms:\n${proc.output().slice(-3000)}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * `src/main.ts`: the API and its in-process worker (unless GATEHOUSE_WORKER=off); or, with
 * `compiledMain`, that file of a compiled build (`node dist/main.js`).
 */
export async function startApiProcess(
  name: string,
  env: Record<string, string>,
  compiledMain?: string,
): Promise<ApiProcess> {
  const proc = start(
    name,
    compiledMain ?? "src/main.ts",
    { PORT: "0", HOST: "127.0.0.1", ...env },
    compiledMain !== undefined,
  );
  const match = await waitForOutput(proc, /Gatehouse is running at (http:\/\/\S+)/, 60_000);
  return Object.assign(proc, { url: match[1]! });
}

/** `src/worker/main.ts`: a standalone worker; ready once it logged "worker started". */
export async function startWorkerProcess(
  name: string,
  env: Record<string, string>,
): Promise<GatehouseProcess> {
  const proc = start(name, "src/worker/main.ts", env);
  await waitForOutput(proc, /"msg":"worker started"/, 60_000);
  return proc;
}

/** Kills whatever a test left running (by pid), and waits for it to be gone. */
export async function stopAll(): Promise<void> {
  await Promise.all(
    [...running].map(async (proc) => {
      proc.signal("SIGKILL");
      await proc.exited(10_000).catch(() => undefined);
    }),
  );
}
