/**
 * Fixed-concurrency throughput runs with Debian's `wrk` (C, event loop, one thread): it
 * costs a few percent of a core at thousands of requests a second, where the Node loop in
 * load.ts costs a good share of the two cores it is measuring. Falls back to that loop
 * when `wrk` is not installed (`apt-get install -y wrk`), and says so.
 *
 * Besides throughput and latency it reports where the machine's CPU went during the run:
 * the load generator, the server under test, PostgreSQL, from /proc (Linux).
 */
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { concurrent, type LatencySummary, type Target } from "./load.ts";

export interface LoadResult extends LatencySummary {
  rps: number;
  tool: "wrk" | "node";
  /** Share of the machine's CPU (all cores) during the run, in percent. */
  cpu: {
    loadGenerator: number | null;
    server: number | null;
    postgres: number | null;
    machineBusy: number | null;
  };
  loadAverage: number[];
}

export function hasWrk(): boolean {
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" });
    return true;
  } catch (error) {
    // wrk --version exits 1 after printing its version.
    return (error as { status?: number }).status === 1;
  }
}

const TICKS = 100; // USER_HZ on Linux

/** CPU seconds (user + system) of one process, or null when unreadable. */
function processCpu(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return null;
  }
}

/** CPU seconds by pid of every process whose command name is `comm` (PostgreSQL's backends). */
function commandCpu(comm: string): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, "utf8").trim() !== comm) continue;
    } catch {
      continue;
    }
    const cpu = processCpu(Number(entry));
    if (cpu !== null) byPid.set(Number(entry), cpu);
  }
  return byPid;
}

/**
 * CPU used between two readings by processes alive at the second: backends that exited
 * meanwhile (other sessions' on a shared machine) are left out rather than counted negative.
 */
function cpuSince(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, cpu] of after) total += cpu - (before.get(pid) ?? 0);
  return total;
}

/** CPU seconds by pid of a process and its direct children (an API run under node:cluster). */
function treeCpu(root: number): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (Number(entry) !== root && ppid !== root) continue;
    } catch {
      continue;
    }
    const cpu = processCpu(Number(entry));
    if (cpu !== null) byPid.set(Number(entry), cpu);
  }
  return byPid;
}

/** Busy and total CPU seconds of the whole machine. */
function machineCpu(): { busy: number; total: number } | null {
  try {
    const cpu = fs
      .readFileSync("/proc/stat", "utf8")
      .split("\n")[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const total = cpu.reduce((a, b) => a + b, 0);
    const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
    return { busy: (total - idle) / TICKS, total: total / TICKS };
  } catch {
    return null;
  }
}

/** Parses wrk's latency figures ("1.23ms", "850.00us", "1.02s") into milliseconds. */
function ms(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!m) return Number.NaN;
  const value = Number(m[1]);
  return (
    Math.round(
      { us: value / 1000, ms: value, s: value * 1000, m: value * 60_000 }[m[2] as "us"] * 100,
    ) / 100
  );
}

function runWrk(
  target: Target,
  clients: number,
  seconds: number,
): Promise<{ output: string; cpuSeconds: number | null }> {
  const headers = Object.entries(target.headers).flatMap(([k, v]) => ["-H", `${k}: ${v}`]);
  const args = [
    "-t1",
    `-c${clients}`,
    `-d${seconds}s`,
    "--latency",
    "--timeout",
    "10s",
    ...headers,
    `http://127.0.0.1:${target.port}${target.path}`,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn("wrk", args, { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    let cpuSeconds: number | null = null;
    // Sampled just before it exits (its last second of work is missed: a small undercount).
    const sampler = setInterval(() => {
      cpuSeconds = processCpu(child.pid!) ?? cpuSeconds;
    }, 250);
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("exit", () => {
      clearInterval(sampler);
      resolve({ output, cpuSeconds });
    });
  });
}

/**
 * `clients` connections for `seconds` against one target. `serverPid` is the process
 * under test, for its CPU share.
 */
export async function loadRun(
  target: Target,
  clients: number,
  seconds: number,
  serverPid?: number,
): Promise<LoadResult> {
  const useWrk = hasWrk();
  const meter = startCpuMeter(serverPid);
  const selfBefore = process.cpuUsage();
  let summary: LatencySummary & { rps: number };
  let generatorSeconds: number | null;
  if (useWrk) {
    const { output, cpuSeconds } = await runWrk(target, clients, seconds);
    const pick = (re: RegExp) => re.exec(output)?.[1];
    const requests = Number(pick(/(\d+) requests in/) ?? 0);
    const non2xx = Number(pick(/Non-2xx or 3xx responses: (\d+)/) ?? 0);
    const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
      output,
    );
    const socketErrors = socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
    summary = {
      requests,
      errors: non2xx + socketErrors,
      p50: ms(pick(/\s50%\s+(\S+)/) ?? ""),
      p95: ms(pick(/\s90%\s+(\S+)/) ?? ""), // wrk prints 50/75/90/99: p95 is not available, the 90th is shown
      p99: ms(pick(/\s99%\s+(\S+)/) ?? ""),
      mean: ms(pick(/Latency\s+(\S+)/) ?? ""),
      rps: Math.round(Number(pick(/Requests\/sec:\s+([\d.]+)/) ?? 0)),
    };
    generatorSeconds = cpuSeconds;
  } else {
    summary = await concurrent(target, clients, seconds * 1000);
    const used = process.cpuUsage(selfBefore);
    generatorSeconds = (used.user + used.system) / 1e6;
  }
  const shares = meter.stop();
  return {
    ...summary,
    tool: useWrk ? "wrk" : "node",
    cpu: {
      loadGenerator: shares.share(generatorSeconds),
      server: shares.server,
      postgres: shares.postgres,
      machineBusy: shares.machineBusy,
    },
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/**
 * Where the machine's CPU goes from now until stop(): shares (percent of all cores) of the
 * server under test (its process tree), of every PostgreSQL process, and of the machine.
 */
export function startCpuMeter(serverPid?: number): {
  stop(): {
    server: number | null;
    postgres: number | null;
    machineBusy: number | null;
    /** The share of `cpuSeconds` used over the same time (e.g. the load generator's). */
    share(cpuSeconds: number | null): number | null;
  };
} {
  const machineBefore = machineCpu();
  const serverBefore = serverPid ? treeCpu(serverPid) : null;
  const postgresBefore = commandCpu("postgres");
  const started = performance.now();
  return {
    stop() {
      const wall = (performance.now() - started) / 1000;
      const machineAfter = machineCpu();
      const capacity = wall * os.availableParallelism();
      const share = (cpuSeconds: number | null) =>
        cpuSeconds === null ? null : Math.round((cpuSeconds / capacity) * 1000) / 10;
      const serverAfter = serverPid ? treeCpu(serverPid) : null;
      return {
        server: share(serverBefore && serverAfter ? cpuSince(serverBefore, serverAfter) : null),
        // All of PostgreSQL's processes: on a shared machine other sessions' work counts too.
        postgres: share(cpuSince(postgresBefore, commandCpu("postgres"))),
        machineBusy:
          machineBefore && machineAfter
            ? Math.round(
                ((machineAfter.busy - machineBefore.busy) /
                  (machineAfter.total - machineBefore.total)) *
                  1000,
              ) / 10
            : null,
        share,
      };
    },
  };
}
