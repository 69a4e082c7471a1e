/**
 * `pnpm bench reconcile [--pg <url>] [--keys 100000] [--teams 1000] [--latency 5]
 *  [--differences 100]`
 *
 * Reconciles a region holding 100,000 Gatehouse keys against the contract server answering
 * every call after 5 ms (its latency fault injection), on a fresh database (in-memory PGlite
 * by default; a new database on the server named by --pg or DATABASE_URL otherwise).
 * `--differences` of each kind are planted (keys missing on the proxy, keys in another team,
 * changed aliases, orphans with Gatehouse's metadata, teams missing on the proxy) and the
 * report must count exactly those.
 *
 * The contract server runs in a worker thread (a real proxy is another process), and is
 * filled in chunks streamed from the database, so the main thread's memory during the
 * reconciliation is the reconciliation's own. Memory is sampled every 20 ms while it runs.
 *
 * One JSON line each: `setup`, `reconcile` (wall time, proxy calls, peak RSS and heap, and
 * their growth over the baseline taken right before), `check` (target < 5 min, counts).
 */
import crypto from "node:crypto";
import { parseArgs } from "node:util";
import v8 from "node:v8";
import vm from "node:vm";
import { createProcessDeps, reconcileRegion } from "@gatehouse/api";
import { litellmKeyAlias, litellmTeamId, RECONCILE_KINDS } from "@gatehouse/core";
import { createTestDatabase } from "@gatehouse/db/testing";
import { LiteLLMClient } from "@gatehouse/litellm";
import type { ContractKey } from "@gatehouse/litellm/contract-server";
import { loadBenchConfig } from "./config.ts";
import { ContractThread, serveContractThread } from "./contract-thread.ts";
import type { Pool } from "pg";

const MASTER_KEY = "sk-bench-master-key";
const REGION = "bench region";

const line = (record: Record<string, unknown>): void =>
  console.log(JSON.stringify({ bench: "reconcile", ...record }));
const ms = (start: bigint): number => Number((process.hrtime.bigint() - start) / 1000n) / 1000;
const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** A way to collect garbage without --expose-gc, for a clean baseline. */
function collectGarbage(): void {
  v8.setFlagsFromString("--expose-gc");
  (vm.runInNewContext("gc") as () => void)();
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      pg: { type: "string" },
      keys: { type: "string", default: "100000" },
      teams: { type: "string", default: "1000" },
      latency: { type: "string", default: "5" },
      differences: { type: "string", default: "100" },
    },
  });
  const keyCount = Number(values.keys);
  const teamCount = Number(values.teams);
  const latencyMs = Number(values.latency);
  const planted = Number(values.differences);

  const config = loadBenchConfig();
  const fresh = await createTestDatabase({
    poolMax: 1,
    serverUrl: values.pg ?? config.databaseUrl ?? null,
  });
  const backend = fresh.backend;
  const deps = await createProcessDeps({
    env: {
      DATABASE_URL: fresh.url,
      GATEHOUSE_LOG_LEVEL: config.apiLogLevel,
      GATEHOUSE_DB_POOL_MAX: backend === "pglite" ? "1" : "10",
    },
    applicationName: "bench-reconcile",
  });
  const { db } = deps;
  const litellm = await ContractThread.start<Request>(import.meta.url, ROLE);
  const client = new LiteLLMClient({
    baseUrl: litellm.url,
    masterKey: MASTER_KEY,
    timeoutMs: 30_000,
  });

  try {
    line({
      case: "setup",
      backend,
      keys: keyCount,
      teams: teamCount,
      latencyMs,
      plantedPerKind: planted,
    });
    const setupStart = process.hrtime.bigint();
    const region = await populate(db.pool, {
      keys: keyCount,
      teams: teamCount,
      baseUrl: litellm.url,
    });
    await fillProxy(db.pool, litellm, region.id, planted);
    line({
      case: "setup done",
      ms: ms(setupStart),
      proxyKeys: (await litellm.call({ type: "count-keys" })).count,
    });

    await litellm.call({ type: "latency", ms: latencyMs });
    collectGarbage();
    const base = process.memoryUsage();
    let peakRss = base.rss;
    let peakHeap = base.heapUsed;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 20);
    // Peak heap includes garbage not collected yet; what the reconciliation really holds is
    // the heap right after a full collection, sampled every 500 ms while it runs.
    let peakLive = base.heapUsed;
    const liveSampler = setInterval(() => {
      collectGarbage();
      peakLive = Math.max(peakLive, process.memoryUsage().heapUsed);
    }, 500);
    const callsBefore = (await litellm.call({ type: "count-requests" })).count;
    const start = process.hrtime.bigint();
    const outcome = await reconcileRegion({ db, client, region, holder: "bench", repair: false });
    const wallMs = ms(start);
    clearInterval(sampler);
    clearInterval(liveSampler);
    const calls = (await litellm.call({ type: "count-requests" })).count - callsBefore;
    line({
      case: "reconcile",
      backend,
      ms: wallMs,
      calls,
      latencyMs,
      scanned: outcome.report.scanned,
      baselineRssMb: mb(base.rss),
      peakRssMb: mb(peakRss),
      rssGrowthMb: mb(peakRss - base.rss),
      baselineHeapMb: mb(base.heapUsed),
      peakHeapMb: mb(peakHeap),
      heapGrowthMb: mb(peakHeap - base.heapUsed),
      peakLiveHeapMb: mb(peakLive),
      liveHeapGrowthMb: mb(peakLive - base.heapUsed),
    });
    // What the proxy enforces (limits, blocks) is not planted: those kinds stay at 0.
    const unplanted = new Set<string>(["limits_drift", "block_drift"]);
    const expected = Object.fromEntries(
      RECONCILE_KINDS.map((k) => [k, unplanted.has(k) ? 0 : planted]),
    );
    line({
      case: "check",
      backend,
      target: "< 300000 ms",
      ok: wallMs < 300_000,
      counts: outcome.report.counts,
      countsOk: JSON.stringify(outcome.report.counts) === JSON.stringify(expected),
      inFlight: outcome.report.inFlight,
      loadAverage: (await import("node:os")).loadavg().map((n) => Math.round(n * 100) / 100),
    });
  } finally {
    client.close();
    await litellm.stop();
    await deps.db.close();
    await fresh.close();
  }
}

/** Teams and keys, set-based; every key is sealed-less (restorability is not measured). */
async function populate(
  pool: Pool,
  o: { keys: number; teams: number; baseUrl: string },
): Promise<{ id: string; name: string }> {
  const run = crypto.randomBytes(3).toString("hex");
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO regions (name, litellm_base_url, litellm_master_key) VALUES ($1, $2, $3) RETURNING id::text`,
    [REGION, o.baseUrl, MASTER_KEY],
  );
  const region = { id: rows[0]!.id, name: REGION };
  await pool.query(
    `INSERT INTO teams (name) SELECT 'bench team ' || g FROM generate_series(1, $1::int) g`,
    [o.teams],
  );
  await pool.query(
    `WITH t AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM teams)
     INSERT INTO api_keys (team_id, name, region_id, litellm_key_id, key_prefix)
     SELECT t.id, 'key-' || g, $2::uuid, encode(sha256(convert_to('sk-bench-' || $3 || '-' || g, 'UTF8')), 'hex'), 'sk-bench…'
       FROM generate_series(1, $1::int) g JOIN t ON t.n = 1 + g % $4::int`,
    [o.keys, region.id, run, o.teams],
  );
  await pool.query(`ANALYZE`);
  return region;
}

/**
 * The proxy's copy of the region, streamed in chunks, with `planted` differences of each
 * kind: keys left out (missing), keys in the next team (wrong team), aliases changed,
 * extra keys with Gatehouse's metadata (orphans), and teams left out (team missing; their
 * keys are kept, as a proxy whose team row was dropped by hand would keep them).
 */
async function fillProxy(
  pool: Pool,
  litellm: ContractThread<Request>,
  regionId: string,
  planted: number,
): Promise<void> {
  const now = new Date().toISOString();
  const { rows: teams } = await pool.query<{ id: string; name: string }>(
    `SELECT id::text, name FROM teams ORDER BY id`,
  );
  await litellm.call({
    type: "teams",
    teams: teams
      .slice(planted)
      .map((t) => ({ teamId: litellmTeamId(REGION, t.id), teamAlias: t.name })),
  });
  const other = litellmTeamId(REGION, teams[0]!.id);
  const other2 = litellmTeamId(REGION, teams[1]!.id);
  let after = "";
  let index = 0;
  for (;;) {
    const { rows } = await pool.query<{ id: string; name: string; team_id: string; token: string }>(
      `SELECT id::text, name, team_id::text, litellm_key_id AS token FROM api_keys
        WHERE region_id = $1::uuid AND litellm_key_id > $2 ORDER BY litellm_key_id LIMIT 5000`,
      [regionId, after],
    );
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.token;
    const keys: ContractKey[] = [];
    for (const row of rows) {
      const i = index++;
      if (i < planted) continue; // missing on the proxy
      const team = litellmTeamId(REGION, row.team_id);
      const wrongTeam = i < 2 * planted;
      const drifted = i >= 2 * planted && i < 3 * planted;
      keys.push({
        token: row.token,
        keyName: `sk-...${row.token.slice(-4)}`,
        keyAlias: drifted ? `drifted-${i}` : litellmKeyAlias(team, row.name),
        teamId: wrongTeam ? (team === other ? other2 : other) : team,
        userId: null,
        metadata: { gatehouse_key_id: row.id, gatehouse_team_id: row.team_id },
        // As keys.create mints them, so only the planted kinds differ.
        allowedRoutes: ["llm_api_routes"],
        createdAt: now,
        updatedAt: now,
      });
    }
    await litellm.call({ type: "keys", keys });
  }
  const orphans: ContractKey[] = Array.from({ length: planted }, (_, i) => {
    const token = crypto
      .createHash("sha256")
      .update(`sk-orphan-${i}-${crypto.randomUUID()}`)
      .digest("hex");
    return {
      token,
      keyName: `sk-...${token.slice(-4)}`,
      keyAlias: `orphan-${i}`,
      teamId: other,
      userId: null,
      metadata: { gatehouse_key_id: crypto.randomUUID() },
      createdAt: now,
      updatedAt: now,
    };
  });
  await litellm.call({ type: "keys", keys: orphans });
}

/* ------------------------------------------------- the contract server's worker thread */

type Request =
  | { type: "teams"; teams: Array<{ teamId: string; teamAlias: string }> }
  | { type: "keys"; keys: ContractKey[] }
  | { type: "count-requests" }
  | { type: "count-keys" };
const ROLE = "reconcile-contract-server";

serveContractThread<Request>(ROLE, MASTER_KEY, (server, request) => {
  switch (request.type) {
    case "teams":
      for (const t of request.teams) {
        server.state.teams.set(t.teamId, {
          ...t,
          metadata: {},
          members: new Map(),
          createdAt: new Date().toISOString(),
        });
      }
      return request.teams.length;
    case "keys":
      for (const key of request.keys) server.state.putKey(key);
      return request.keys.length;
    case "count-requests":
      return server.state.requests.at(-1)?.seq ?? 0;
    case "count-keys":
      return server.state.keys.size;
  }
});
