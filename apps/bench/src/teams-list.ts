/**
 * `pnpm bench teams-list [--requests 200] [--seconds 10] [--clients 32]` on generated data
 * (DATABASE_URL; see `pnpm --filter @gatehouse/db generate-data`). For each case it
 * measures Gatehouse's real HTTP API next to two references on the same data and the same
 * requests: the floor (bare node:http + the same SQL) and LiteLLM's /v2/team/list strategy.
 * One JSON line per measurement, then one per target check.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import { encodeCursor } from "@gatehouse/core";
import { createDatabase } from "@gatehouse/db";
import { childEnv, loadBenchConfig } from "./config.ts";
import { concurrent, sequential, type LatencySummary, type Target } from "./load.ts";
import { ensureVacuumed, prepareLiteLLMTable, preparePersonas, type Persona } from "./teams-list/personas.ts";

type ServerName = "gatehouse" | "floor" | "litellm";

async function startServer(name: ServerName, url: string): Promise<{ port: number; child: ChildProcess }> {
  const file = path.join(import.meta.dirname, "teams-list", `${name}-server.ts`);
  const child = spawn(process.execPath, ["--import", "tsx", file], {
    env: childEnv({ DATABASE_URL: url, PORT: "0", GATEHOUSE_LOG_LEVEL: "warn", GATEHOUSE_DB_POOL_MAX: "16" }),
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
    },
  });
  const url = loadBenchConfig().databaseUrl;
  if (!url) throw new Error("set DATABASE_URL to a database filled by generate-data (1M teams for the issue's figures)");
  const requests = Number(values.requests);
  const db = createDatabase({ url, poolMax: 2 });
  const teams = Number((await db.pool.query<{ n: string }>("SELECT count(*) AS n FROM teams")).rows[0]?.n ?? 0);
  line({ bench: "teams-list", teams });
  await prepareLiteLLMTable(db.pool);
  line({ vacuumed: await ensureVacuumed(db.pool) });
  const personas = Object.fromEntries((await preparePersonas(db.pool)).map((p) => [p.name, p])) as Record<Persona["name"], Persona>;
  const depthPage = Math.min(10_000, Math.floor(teams / 25));
  const at = (
    await db.pool.query<{ created_at: Date; id: string }>(
      `SELECT created_at, id::text FROM teams ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT 1`,
      [(depthPage - 1) * 25 - 1],
    )
  ).rows[0]!;
  const deepCursor = encodeCursor({ sortBy: "createdAt", sortOrder: "desc", value: at.created_at.toISOString(), id: at.id });
  await db.close();

  const servers = {} as Record<ServerName, { port: number; child: ChildProcess }>;
  for (const name of ["gatehouse", "floor", "litellm"] as const) servers[name] = await startServer(name, url);
  const target = (server: ServerName, persona: Persona, input: Record<string, unknown>): Target => ({
    port: servers[server].port,
    path: `/trpc/teams.list?input=${encodeURIComponent(JSON.stringify(input))}`,
    headers: { cookie: `gh_session=${persona.token}` },
  });

  const cases: Array<{ name: string; persona: Persona; input: Record<string, unknown>; litellmInput?: Record<string, unknown> }> = [
    { name: "admin page 1 (createdAt desc)", persona: personas.admin, input: {} },
    { name: `admin page ${depthPage} by offset`, persona: personas.admin, input: { page: depthPage } },
    { name: `admin page ${depthPage} by cursor`, persona: personas.admin, input: { cursor: deepCursor }, litellmInput: { page: depthPage } },
    { name: "org admin of 3 orgs + member elsewhere, page 1", persona: personas.orgAdmin, input: {} },
    { name: "member page 1", persona: personas.member, input: {} },
    { name: "admin name search 'falc'", persona: personas.admin, input: { name: "falc" } },
  ];

  const results: Record<string, Record<ServerName, LatencySummary>> = {};
  try {
    for (const c of cases) {
      results[c.name] = {} as Record<ServerName, LatencySummary>;
      for (const server of ["gatehouse", "floor", "litellm"] as const) {
        const input = server === "litellm" ? (c.litellmInput ?? c.input) : c.input;
        // LiteLLM's strategy is slow enough that fewer samples give the same picture.
        const n = server === "litellm" ? Math.max(20, Math.floor(requests / 5)) : requests;
        const summary = await sequential(target(server, c.persona, input), n, server === "litellm" ? 3 : 10);
        results[c.name]![server] = summary;
        line({ case: c.name, server, ...summary });
      }
    }
    const clients = Number(values.clients);
    const seconds = Number(values.seconds);
    const load: Record<string, LatencySummary & { rps: number }> = {};
    for (const server of ["gatehouse", "floor"] as const) {
      load[server] = await concurrent(target(server, personas.admin, {}), clients, seconds * 1000);
      line({ case: `admin page 1 at ${clients} clients for ${seconds}s`, server, ...load[server] });
    }

    // Target checks, as data.
    for (const c of cases) {
      const r = results[c.name]!;
      line({
        check: c.name,
        p50VsFloor: Math.round((r.gatehouse.p50 / r.floor.p50) * 100) / 100,
        withinTwiceFloor: r.gatehouse.p50 <= 2 * r.floor.p50,
        speedupVsLiteLLM: Math.round((r.litellm.p50 / r.gatehouse.p50) * 10) / 10,
        errors: r.gatehouse.errors,
      });
    }
    const g = load.gatehouse!;
    line({ check: "load", rps: g.rps, p99: g.p99, errors: g.errors, rpsAtLeast1000: g.rps >= 1000, p99Under50ms: g.p99 < 50 });
  } finally {
    for (const { child } of Object.values(servers)) child.kill("SIGTERM");
  }
}
