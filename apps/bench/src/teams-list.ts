/**
 * `pnpm bench teams-list [--requests 200] [--seconds 10] [--clients 32] [--rounds 1] [--baseline <checkout>]`
 * on generated data (DATABASE_URL; see `pnpm --filter @gatehouse/db generate-data`). For each
 * case it measures Gatehouse's real HTTP API next to two references on the same data and the
 * same requests: the floor (bare node:http + the same SQL) and LiteLLM's /v2/team/list
 * strategy; then each case at `--clients` connections with wrk (see wrk.ts). With
 * `--baseline /path/to/other/checkout` (e.g. a worktree of main) that checkout's Gatehouse
 * server runs the same load in the same run, for the "x times today's throughput" checks.
 * One JSON line per measurement, then one PASS/FAIL line per target.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import { encodeCursor } from "@gatehouse/core";
import { createDatabase } from "@gatehouse/db";
import os from "node:os";
import { API_NODE_FLAGS, childEnv, loadBenchConfig } from "./config.ts";
import { sequential, type LatencySummary, type Target } from "./load.ts";
import { loadRun, type LoadResult } from "./wrk.ts";
import {
  ensureVacuumed,
  prepareLiteLLMTable,
  preparePersonas,
  type Persona,
} from "./teams-list/personas.ts";

type ServerName = "gatehouse" | "floor" | "litellm" | "baseline";

async function startServer(
  name: ServerName,
  url: string,
  checkout?: string,
  apiProcesses = 1,
): Promise<{ port: number; child: ChildProcess }> {
  const file =
    name === "baseline"
      ? path.join(checkout!, "apps/bench/src/teams-list/gatehouse-server.ts")
      : path.join(import.meta.dirname, "teams-list", `${name}-server.ts`);
  // BENCH_CPU_PROF=<dir>: the server writes V8 CPU profiles to <dir>/<server>/
  // when stopped, one per thread (tsx's loader runs in its own): `pnpm bench cpu-split
  // <dir>/gatehouse` reads the main thread's.
  const profile = loadBenchConfig().cpuProfileDir;
  const flags = [
    ...(name === "gatehouse" ? API_NODE_FLAGS : []),
    ...(profile ? ["--cpu-prof", "--cpu-prof-dir", path.join(profile, name)] : []),
  ];
  const child = spawn(process.execPath, [...flags, "--import", "tsx", file], {
    env: childEnv({
      DATABASE_URL: url,
      PORT: "0",
      GATEHOUSE_LOG_LEVEL: "warn",
      GATEHOUSE_DB_POOL_MAX: "16",
      BENCH_API_PROCESSES: String(name === "gatehouse" ? apiProcesses : 1),
    }),
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${name} server exited with ${code}`)));
    child.stdout.on("data", (chunk: Buffer) => {
      const match = /READY (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
  });
  return { port, child };
}

const line = (record: Record<string, unknown>) => console.log(JSON.stringify(record));

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      requests: { type: "string", default: "200" },
      seconds: { type: "string", default: "10" },
      clients: { type: "string", default: "32" },
      baseline: { type: "string" },
      // Only the load runs of the cases whose name contains this text (e.g. "admin page 1"):
      // for profiling (BENCH_CPU_PROF) and quick looks; no sequential runs.
      "load-only": { type: "string" },
      // Gatehouse API processes sharing the port (node:cluster), as stateless instances.
      "api-processes": { type: "string", default: "1" },
      // Load runs per case and server, alternating servers each round; the checks use each
      // server's median round (a shared or throttled machine moves one 10 s run by 10-20 %).
      rounds: { type: "string", default: "1" },
    },
  });
  const url = loadBenchConfig().databaseUrl;
  if (!url)
    throw new Error(
      "set DATABASE_URL to a database filled by generate-data (1M teams for the recorded figures)",
    );
  const requests = Number(values.requests);
  const db = createDatabase({ url, poolMax: 2 });
  const teams = Number(
    (await db.pool.query<{ n: string }>("SELECT count(*) AS n FROM teams")).rows[0]?.n ?? 0,
  );
  line({ bench: "teams-list", teams });
  await prepareLiteLLMTable(db.pool);
  line({ vacuumed: await ensureVacuumed(db.pool) });
  const personas = Object.fromEntries(
    (await preparePersonas(db.pool)).map((p) => [p.name, p]),
  ) as Record<Persona["name"], Persona>;
  const depthPage = Math.min(10_000, Math.floor(teams / 25));
  const at = (
    await db.pool.query<{ created_at: Date; id: string }>(
      `SELECT created_at, id::text FROM teams ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT 1`,
      [(depthPage - 1) * 25 - 1],
    )
  ).rows[0]!;
  const deepCursor = encodeCursor({
    sortBy: "createdAt",
    sortOrder: "desc",
    value: at.created_at.toISOString(),
    id: at.id,
  });
  await db.close();

  const servers = {} as Record<ServerName, { port: number; child: ChildProcess }>;
  const loadOnly = values["load-only"];
  for (const name of loadOnly === undefined
    ? (["gatehouse", "floor", "litellm"] as const)
    : (["gatehouse", "floor"] as const)) {
    servers[name] = await startServer(name, url, undefined, Number(values["api-processes"]));
  }
  line({ gatehouseApiProcesses: Number(values["api-processes"]) });
  if (values.baseline)
    servers.baseline = await startServer("baseline", url, path.resolve(values.baseline));
  const target = (
    server: ServerName,
    persona: Persona,
    input: Record<string, unknown>,
  ): Target => ({
    port: servers[server].port,
    path: `/trpc/teams.list?input=${encodeURIComponent(JSON.stringify(input))}`,
    headers: { cookie: `gh_session=${persona.token}` },
  });

  // `load`: also measured at `--clients` connections; `vsBaseline`: the throughput that
  // must be a multiple of the baseline's, checked when --baseline is given.
  const cases: Array<{
    name: string;
    persona: Persona;
    input: Record<string, unknown>;
    litellmInput?: Record<string, unknown>;
    load: boolean;
  }> = [
    { name: "admin page 1 (createdAt desc)", persona: personas.admin, input: {}, load: true },
    {
      name: `admin page ${depthPage} by offset`,
      persona: personas.admin,
      input: { page: depthPage },
      load: false,
    },
    {
      name: `admin page ${depthPage} by cursor`,
      persona: personas.admin,
      input: { cursor: deepCursor },
      litellmInput: { page: depthPage },
      load: true,
    },
    {
      name: "org admin of 3 orgs + member elsewhere, page 1",
      persona: personas.orgAdmin,
      input: {},
      load: true,
    },
    { name: "member page 1", persona: personas.member, input: {}, load: true },
    {
      name: "admin name search 'falc'",
      persona: personas.admin,
      input: { name: "falc" },
      load: true,
    },
  ];

  const results: Record<string, Record<ServerName, LatencySummary>> = {};
  try {
    for (const c of loadOnly === undefined ? cases : []) {
      results[c.name] = {} as Record<ServerName, LatencySummary>;
      for (const server of ["gatehouse", "floor", "litellm"] as const) {
        const input = server === "litellm" ? (c.litellmInput ?? c.input) : c.input;
        // LiteLLM's strategy is slow enough that fewer samples give the same picture.
        const n = server === "litellm" ? Math.max(20, Math.floor(requests / 5)) : requests;
        const summary = await sequential(
          target(server, c.persona, input),
          n,
          server === "litellm" ? 3 : 10,
        );
        results[c.name]![server] = summary;
        line({ case: c.name, server, ...summary });
      }
    }
    const clients = Number(values.clients);
    const rounds = Math.max(1, Number(values.rounds));
    const seconds = Number(values.seconds);
    const loadServers = [
      "gatehouse",
      "floor",
      ...(servers.baseline ? ["baseline"] : []),
    ] as const as readonly ServerName[];
    const load: Record<string, Partial<Record<ServerName, LoadResult>>> = {};
    for (const c of cases.filter(
      (x) => x.load && (loadOnly === undefined || x.name.includes(loadOnly)),
    )) {
      const runs: Partial<Record<ServerName, LoadResult[]>> = {};
      for (let round = 1; round <= rounds; round++) {
        for (const server of loadServers) {
          const result = await loadRun(
            target(server, c.persona, c.input),
            clients,
            seconds,
            servers[server].child.pid,
          );
          (runs[server] ??= []).push(result);
          line({
            case: `${c.name} at ${clients} clients for ${seconds}s`,
            server,
            ...(rounds > 1 ? { round } : {}),
            ...result,
          });
        }
      }
      load[c.name] = Object.fromEntries(
        Object.entries(runs).map(([server, results]) => [server, medianRun(results)]),
      );
      if (rounds > 1) {
        for (const [server, result] of Object.entries(load[c.name]!)) {
          line({
            case: `${c.name}: median of ${rounds} rounds`,
            server,
            rps: result.rps,
            p99: result.p99,
          });
        }
      }
    }

    if (loadOnly !== undefined) return;
    // Target checks, one line each.
    const check = (name: string, pass: boolean, detail: Record<string, unknown>) =>
      line({ check: name, result: pass ? "PASS" : "FAIL", ...detail });
    for (const c of cases) {
      const r = results[c.name]!;
      const p50VsFloor = Math.round((r.gatehouse.p50 / r.floor.p50) * 100) / 100;
      const speedup = Math.round((r.litellm.p50 / r.gatehouse.p50) * 10) / 10;
      check(
        `${c.name}: sequential p50 within 2x of the floor`,
        p50VsFloor <= 2 && r.gatehouse.errors === 0,
        { p50: r.gatehouse.p50, floor: r.floor.p50, p50VsFloor },
      );
      // Where LiteLLM's strategy is itself a lookup of the caller's few teams, even the
      // floor (the same SQL from a bare server) is not 10x faster: said next to the FAIL.
      const floorSpeedup = Math.round((r.litellm.p50 / r.floor.p50) * 10) / 10;
      check(`${c.name}: >= 10x faster than LiteLLM's strategy`, speedup >= 10, {
        p50: r.gatehouse.p50,
        litellm: r.litellm.p50,
        speedup,
        floorSpeedup,
        ...(floorSpeedup < 10 ? { note: "unreachable: the floor itself is not 10x faster" } : {}),
      });
    }
    const page1 = load[cases[0]!.name]!.gatehouse!;
    check(
      `admin page 1 at ${clients} clients: >= 1,000 req/s`,
      page1.rps >= 1000 && page1.errors === 0,
      { rps: page1.rps, errors: page1.errors },
    );
    check(`admin page 1 at ${clients} clients: p99 < 50 ms`, page1.p99 < 50, { p99: page1.p99 });
    for (const c of cases.slice(1).filter((x) => x.load)) {
      const mine = load[c.name]!.gatehouse!;
      const before = load[c.name]!.baseline;
      if (!before) {
        line({
          check: `${c.name} at ${clients} clients: >= 3x the baseline's req/s`,
          result: "SKIPPED (no --baseline)",
          rps: mine.rps,
        });
        continue;
      }
      const ratio = Math.round((mine.rps / Math.max(1, before.rps)) * 100) / 100;
      check(
        `${c.name} at ${clients} clients: >= 3x the baseline's req/s`,
        ratio >= 3 && mine.errors === 0,
        { rps: mine.rps, baseline: before.rps, ratio },
      );
    }
    const generator = Math.max(
      ...Object.values(load).flatMap((l) => Object.values(l).map((x) => x.cpu.loadGenerator ?? 0)),
    );
    check("load generator's CPU share <= 10 % of the machine", generator <= 10, {
      tool: page1.tool,
      maxShare: generator,
    });
    line({ loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100) });
  } finally {
    for (const { child } of Object.values(servers)) child.kill("SIGTERM");
  }
}

/** The round with the median throughput (its own p99 and CPU shares, as measured together). */
function medianRun(results: LoadResult[]): LoadResult {
  const sorted = [...results].sort((a, b) => a.rps - b.rps);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}
