/**
 * `pnpm bench spend-sync [--pg <url>] [--teams 100000] [--million] [--latency 0]`
 *
 * One spend sync of a region whose proxy (the contract server, in a worker thread: a real
 * proxy is another process) holds `--teams` Gatehouse teams with spend and budgets
 * (`--million` = 1,000,000). The sync streams `/v2/team/list` 100 teams a page and writes a
 * thousand at a time (latest row, daily point and the team total). Memory is sampled every
 * 20 ms in the main thread, so the peak is the sync's own (plus the database client; on
 * PGlite the embedded database lives in this process too — use --pg for the sync alone).
 *
 * One JSON line each: `setup`, `sync` (wall time, teams per second, peak RSS/heap and growth
 * over the baseline), `check` (targets: 100k teams < 60 s, 1M < 10 min, RSS growth < 256 MB,
 * every team's total written).
 */
import { parseArgs } from "node:util";
import v8 from "node:v8";
import vm from "node:vm";
import { createProcessDeps, syncRegionSpend } from "@gatehouse/api";
import { litellmTeamId } from "@gatehouse/core";
import { createTestDatabase } from "@gatehouse/db/testing";
import { LiteLLMClient } from "@gatehouse/litellm";
import { loadBenchConfig } from "./config.ts";
import { ContractThread, serveContractThread } from "./contract-thread.ts";

const MASTER_KEY = "sk-bench-master-key";
const REGION = "bench region";
const CHUNK = 50_000;

const line = (record: Record<string, unknown>): void =>
  console.log(JSON.stringify({ bench: "spend-sync", ...record }));
const ms = (start: bigint): number => Number((process.hrtime.bigint() - start) / 1000n) / 1000;
const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

function collectGarbage(): void {
  v8.setFlagsFromString("--expose-gc");
  (vm.runInNewContext("gc") as () => void)();
}

/** What the contract thread is asked besides latency and stop: add teams with spend. */
type Request = { type: "teams"; ids: string[] };
const ROLE = "spend-contract-server";

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      pg: { type: "string" },
      teams: { type: "string", default: "100000" },
      million: { type: "boolean", default: false },
      latency: { type: "string", default: "0" },
    },
  });
  const teamCount = values.million ? 1_000_000 : Number(values.teams);
  const config = loadBenchConfig();
  const fresh = await createTestDatabase({
    poolMax: 1,
    serverUrl: values.pg ?? config.databaseUrl ?? null,
  });
  const deps = await createProcessDeps({
    env: {
      DATABASE_URL: fresh.url,
      GATEHOUSE_LOG_LEVEL: config.apiLogLevel,
      GATEHOUSE_DB_POOL_MAX: fresh.backend === "pglite" ? "1" : "4",
    },
    applicationName: "bench-spend-sync",
  });
  const { db } = deps;
  const proxy = await ContractThread.start<Request>(import.meta.url, ROLE);
  const client = new LiteLLMClient({
    baseUrl: proxy.url,
    masterKey: MASTER_KEY,
    timeoutMs: 60_000,
  });
  try {
    line({
      case: "setup",
      backend: fresh.backend,
      teams: teamCount,
      latencyMs: Number(values.latency),
    });
    const setupStart = process.hrtime.bigint();
    const region = await db.prisma.region.create({
      data: { name: REGION, litellmBaseUrl: proxy.url, litellmMasterKey: MASTER_KEY },
      select: { id: true, name: true },
    });
    // Teams made set-based in the database, then streamed to the proxy in chunks by id.
    await db.pool.query(
      `INSERT INTO teams (name, created_at) SELECT 'bench team ' || n, now() - n * interval '1 second' FROM generate_series(1, $1::int) n`,
      [teamCount],
    );
    let after = "00000000-0000-0000-0000-000000000000";
    for (;;) {
      const { rows } = await db.pool.query<{ id: string }>(
        `SELECT id::text FROM teams WHERE id > $1::uuid ORDER BY id LIMIT ${CHUNK}`,
        [after],
      );
      if (rows.length === 0) break;
      await proxy.call({ type: "teams", ids: rows.map((r) => litellmTeamId(region.name, r.id)) });
      after = rows.at(-1)!.id;
    }
    await db.pool.query("ANALYZE teams");
    if (Number(values.latency) > 0)
      await proxy.call({ type: "latency", ms: Number(values.latency) });
    line({ case: "setup-done", seconds: ms(setupStart) / 1000 });

    collectGarbage();
    const baseline = process.memoryUsage();
    let peakRss = baseline.rss;
    let peakHeap = baseline.heapUsed;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 20);
    const start = process.hrtime.bigint();
    const outcome = await syncRegionSpend({ db, client, region, holder: "bench" });
    const wallMs = ms(start);
    clearInterval(sampler);
    line({
      case: "sync",
      wallSeconds: Math.round(wallMs) / 1000,
      teamsPerSecond: Math.round((outcome.teamsWritten / wallMs) * 1000),
      teamsRead: outcome.teamsRead,
      teamsWritten: outcome.teamsWritten,
      peakRssMb: mb(peakRss),
      rssGrowthMb: mb(peakRss - baseline.rss),
      peakHeapMb: mb(peakHeap),
      heapGrowthMb: mb(peakHeap - baseline.heapUsed),
    });
    const { rows } = await db.pool.query<{ known: number; daily: number }>(
      `SELECT (SELECT count(*) FROM teams WHERE spend_known)::int AS known, (SELECT count(*) FROM team_spend_daily)::int AS daily`,
    );
    const targetMs = teamCount >= 1_000_000 ? 600_000 : (60_000 * teamCount) / 100_000;
    const checks = {
      wall: { target: `< ${targetMs / 1000} s`, ok: wallMs < targetMs },
      memory: { target: "RSS growth < 256 MB", ok: peakRss - baseline.rss < 256 * 1024 * 1024 },
      complete: {
        target: `${teamCount} totals and daily points`,
        ok: rows[0]?.known === teamCount && rows[0]?.daily === teamCount,
      },
    };
    line({ case: "check", ...checks, pass: Object.values(checks).every((c) => c.ok) });
  } finally {
    await proxy.stop();
    client.close();
    await deps.db.close();
    await fresh.close();
  }
}

let served = 0;
serveContractThread<Request>(ROLE, MASTER_KEY, (server, request) => {
  for (const teamId of request.ids) {
    served += 1;
    server.state.teams.set(teamId, {
      teamId,
      teamAlias: null,
      metadata: {},
      members: new Map(),
      createdAt: new Date().toISOString(),
      // Spend with cents and a budget, as a busy proxy would report them.
      spend: (served % 10_000) / 100,
      maxBudget: 100,
      budgetDuration: "30d",
      budgetResetAt: "2030-01-01T00:00:00.000Z",
    });
  }
  return request.ids.length;
});
