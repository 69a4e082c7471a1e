/**
 * `pnpm bench soak [--seconds 60] [--clients 32] [--warmup 5] [--sample-ms 2000]
 * [--exclude list,get,members,keys,merge]` on generated data (DATABASE_URL; see
 * `pnpm --filter @gatehouse/db generate-data`).
 *
 * The real Gatehouse process (`src/main.ts`: API + in-process worker) runs as a child on
 * the database; a LiteLLM contract server runs here for its key and merge calls. `clients`
 * loops send a realistic mix for `seconds`: teams.list (first pages, deep offset pages,
 * cursor pages, name and search filters, the expired filter, as admin, org admin and
 * member), teams.get, member add + remove, key creation, and small merges (two teams, a
 * key, the merge). It prints one JSON line per operation (throughput, p50/p95/p99,
 * errors), a total, the API's memory samples (RSS and heap every `sample-ms`) with
 * before/after values after a forced GC and the trend during the load, and the load
 * average before and after (the machine may be shared). Rows it creates are tagged with a
 * run id and removed at the end.
 */
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createDatabase } from "@gatehouse/db";
import { startContractServer } from "@gatehouse/litellm/contract-server";
import { summarize } from "./load.ts";
import { API_NODE_FLAGS, benchSecretsKey, childEnv, loadBenchConfig } from "./config.ts";
import { preparePersonas, type Persona } from "./teams-list/personas.ts";
import { startCpuMeter } from "./wrk.ts";

const line = (record: Record<string, unknown>) => console.log(JSON.stringify(record));

const MASTER_KEY = `sk-soak-${crypto.randomBytes(8).toString("hex")}`;
const apiRoot = path.resolve(import.meta.dirname, "../../api");

interface MemorySample {
  tag: "tick" | "gc";
  t: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

interface Api {
  url: URL;
  child: ChildProcess;
  samples: MemorySample[];
  /** Resolves with the next "gc" sample (after asking the child to collect garbage). */
  gcSample(): Promise<MemorySample>;
}

async function startApi(
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
      path.join(import.meta.dirname, "soak", "memory-probe.ts"),
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

/* ------------------------------------------------------------------------------ client */

interface Answer {
  status: number;
  body: string;
}

function makeClient(api: URL, clients: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients * 2 });
  return function trpc(
    type: "query" | "mutation",
    procedure: string,
    input: unknown,
    persona: Persona,
  ): Promise<Answer> {
    const query =
      type === "query" && input !== undefined
        ? `?input=${encodeURIComponent(JSON.stringify(input))}`
        : "";
    const body = type === "mutation" && input !== undefined ? JSON.stringify(input) : undefined;
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: api.hostname,
          port: api.port,
          path: `/trpc/${procedure}${query}`,
          method: type === "query" ? "GET" : "POST",
          agent,
          headers: {
            cookie: `gh_session=${persona.token}`,
            ...(body !== undefined
              ? {
                  "content-type": "application/json",
                  "x-gatehouse-csrf": "1",
                  "content-length": Buffer.byteLength(body),
                }
              : {}),
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
      if (body !== undefined) req.write(body);
      req.end();
    });
  };
}

/* ----------------------------------------------------------------------------- the mix */

interface Fixtures {
  personas: Record<Persona["name"], Persona>;
  teamIds: string[];
  userIds: string[];
  fragments: string[];
  homeTeams: string[];
  regionId: string;
  runId: string;
  /** Shared by every loop (warm-up included), so generated names never collide. */
  serial: number;
  /** Operation groups left out (--exclude), e.g. to see what merges cost the rest. */
  exclude: string[];
}

class Recorder {
  readonly latencies = new Map<string, number[]>();
  readonly errors = new Map<string, number>();
  readonly samplesOfErrors = new Map<string, string>();
  enabled = true;

  async time<T extends Answer>(op: string, call: () => Promise<T>): Promise<T | null> {
    const started = performance.now();
    let answer: T;
    try {
      answer = await call();
    } catch (error) {
      this.fail(op, `transport: ${String(error)}`);
      return null;
    }
    if (!this.enabled) return answer;
    const list = this.latencies.get(op) ?? [];
    list.push(performance.now() - started);
    this.latencies.set(op, list);
    if (answer.status !== 200) this.fail(op, `${answer.status} ${answer.body.slice(0, 300)}`);
    return answer;
  }

  private fail(op: string, what: string): void {
    if (!this.enabled) return;
    this.errors.set(op, (this.errors.get(op) ?? 0) + 1);
    if (!this.samplesOfErrors.has(op)) this.samplesOfErrors.set(op, what);
  }
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

type Trpc = ReturnType<typeof makeClient>;

/** One client's loop: weighted operations until the deadline. */
async function clientLoop(
  index: number,
  trpc: Trpc,
  f: Fixtures,
  rec: Recorder,
  until: () => boolean,
): Promise<void> {
  const { admin, orgAdmin, member } = f.personas;
  const home = f.homeTeams[index % f.homeTeams.length]!;
  let cursor: string | null = null;
  const serial = () => ++f.serial;
  const ok = (a: Answer | null): boolean => a !== null && a.status === 200;

  const all: Array<[weight: number, run: () => Promise<void>, group: string]> = [
    [
      14,
      async () =>
        void (await rec.time("teams.list p1 admin", () => trpc("query", "teams.list", {}, admin))),
      "list",
    ],
    [
      6,
      async () =>
        void (await rec.time("teams.list offset page admin", () =>
          trpc("query", "teams.list", { page: 2 + Math.floor(Math.random() * 400) }, admin),
        )),
      "list",
    ],
    [
      5,
      async () => {
        if (cursor) {
          const next = await rec.time("teams.list cursor page admin", () =>
            trpc("query", "teams.list", { cursor }, admin),
          );
          cursor = ok(next)
            ? (JSON.parse(next!.body) as { result: { data: { nextCursor: string | null } } }).result
                .data.nextCursor
            : null;
        } else {
          const first = await rec.time("teams.list p1 admin", () =>
            trpc("query", "teams.list", {}, admin),
          );
          cursor = ok(first)
            ? (JSON.parse(first!.body) as { result: { data: { nextCursor: string | null } } })
                .result.data.nextCursor
            : null;
        }
      },
      "list",
    ],
    [
      6,
      async () =>
        void (await rec.time("teams.list name filter admin", () =>
          trpc("query", "teams.list", { name: pick(f.fragments) }, admin),
        )),
      "list",
    ],
    [
      3,
      async () =>
        void (await rec.time("teams.list expired admin", () =>
          trpc("query", "teams.list", { expired: true }, admin),
        )),
      "list",
    ],
    [
      6,
      async () =>
        void (await rec.time("teams.list p1 orgAdmin", () =>
          trpc("query", "teams.list", {}, orgAdmin),
        )),
      "list",
    ],
    [
      4,
      async () =>
        void (await rec.time("teams.list search orgAdmin", () =>
          trpc("query", "teams.list", { search: pick(f.fragments) }, orgAdmin),
        )),
      "list",
    ],
    [
      6,
      async () =>
        void (await rec.time("teams.list p1 member", () =>
          trpc("query", "teams.list", {}, member),
        )),
      "list",
    ],
    [
      15,
      async () =>
        void (await rec.time("teams.get admin", () =>
          trpc("query", "teams.get", { teamId: pick(f.teamIds) }, admin),
        )),
      "get",
    ],
    [
      12,
      async () => {
        const userId = pick(f.userIds);
        const added = await rec.time("teams.addMember", () =>
          trpc("mutation", "teams.addMember", { teamId: home, userId, role: "MEMBER" }, admin),
        );
        if (ok(added))
          await rec.time("teams.removeMember", () =>
            trpc("mutation", "teams.removeMember", { teamId: home, userId }, admin),
          );
      },
      "members",
    ],
    [
      8,
      async () =>
        void (await rec.time("keys.create", () =>
          trpc(
            "mutation",
            "keys.create",
            { teamId: home, name: `k${index}-${serial()}`, regionId: f.regionId },
            admin,
          ),
        )),
      "keys",
    ],
    [
      3,
      async () => {
        const make = (role: string) =>
          rec.time("teams.create", () =>
            trpc(
              "mutation",
              "teams.create",
              { name: `${f.runId} ${role} ${index}-${serial()}` },
              admin,
            ),
          );
        const [source, target] = await Promise.all([make("source"), make("target")]);
        if (!ok(source) || !ok(target)) return;
        const sourceId = (JSON.parse(source!.body) as { result: { data: { id: string } } }).result
          .data.id;
        const targetId = (JSON.parse(target!.body) as { result: { data: { id: string } } }).result
          .data.id;
        const key = await rec.time("keys.create", () =>
          trpc(
            "mutation",
            "keys.create",
            { teamId: sourceId, name: "moving", regionId: f.regionId },
            admin,
          ),
        );
        if (!ok(key)) return;
        await rec.time("teams.merge", () =>
          trpc(
            "mutation",
            "teams.merge",
            { sourceTeamId: sourceId, targetTeamId: targetId, strategy: "rename" },
            admin,
          ),
        );
      },
      "merge",
    ],
  ];
  const operations = all.filter(([, , group]) => !f.exclude.includes(group));
  const total = operations.reduce((n, [w]) => n + w, 0);
  while (until()) {
    let roll = Math.random() * total;
    const op = operations.find(([w]) => (roll -= w) < 0) ?? operations[0]!;
    await op[1]();
  }
}

/* ------------------------------------------------------------------------------ memory */

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Least-squares slope of y (MB) over t (minutes). */
function slopePerMinute(points: Array<{ t: number; y: number }>): number {
  if (points.length < 2) return 0;
  const n = points.length;
  const mt = points.reduce((s, p) => s + p.t, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const num = points.reduce((s, p) => s + (p.t - mt) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.t - mt) ** 2, 0);
  return den === 0 ? 0 : Math.round((num / den) * 100) / 100;
}

/* -------------------------------------------------------------------------------- run */

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      seconds: { type: "string", default: "60" },
      clients: { type: "string", default: "32" },
      warmup: { type: "string", default: "5" },
      "sample-ms": { type: "string", default: "2000" },
      exclude: { type: "string", default: "" },
    },
  });
  const config = loadBenchConfig();
  const url = config.databaseUrl;
  if (!url)
    throw new Error(
      "set DATABASE_URL to a database filled by generate-data (the recorded figures use 1M teams: gh_bench)",
    );
  const seconds = Number(values.seconds);
  const clients = Number(values.clients);
  const sampleMs = Number(values["sample-ms"]);
  const runId = `soak-${Date.now().toString(36)}`;

  const db = createDatabase({ url, poolMax: 4 });
  const litellm = await startContractServer({
    masterKey: MASTER_KEY,
    port: 0,
    maxLogEntries: 1_000,
  });
  let api: Api | null = null;
  let regionId: string | null = null;
  try {
    const teams = Number(
      (await db.pool.query<{ n: string }>("SELECT count(*) AS n FROM teams")).rows[0]?.n ?? 0,
    );
    line({
      bench: "soak",
      runId,
      teams,
      clients,
      seconds,
      exclude: values.exclude || null,
      cpus: os.cpus().length,
      loadavgBefore: os.loadavg().map((x) => Math.round(x * 100) / 100),
    });
    // Jobs left queued by earlier runs (e.g. an expiry sweep's, for the generated region,
    // whose proxy does not exist) would be claimed by the API's worker during the mix.
    const leftover = Number(
      (await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM jobs WHERE status <> 'DONE'`))
        .rows[0]?.n ?? 0,
    );
    if (leftover > 0)
      line({
        warning: `${leftover} jobs not done are queued from before; the API's worker will run them during the mix (clear them for a clean run)`,
      });

    const personas = Object.fromEntries(
      (await preparePersonas(db.pool)).map((p) => [p.name, p]),
    ) as Record<Persona["name"], Persona>;
    regionId = (
      await db.pool.query<{ id: string }>(
        `INSERT INTO regions (name, litellm_base_url, litellm_master_key) VALUES ($1, $2, $3) RETURNING id::text`,
        [runId, litellm.url, MASTER_KEY],
      )
    ).rows[0]!.id;
    // A block sample is cheap on a million teams but can come back empty on a small table.
    const sampleTeams = (from: string) =>
      db.pool.query<{ id: string; name: string }>(`SELECT id::text, name FROM ${from} LIMIT 5000`);
    let sampled = (await sampleTeams("teams TABLESAMPLE SYSTEM (0.5)")).rows;
    if (sampled.length < 100) sampled = (await sampleTeams("teams ORDER BY random()")).rows;
    const userIds = (
      await db.pool.query<{ id: string }>(
        `SELECT id::text FROM users TABLESAMPLE SYSTEM (1) WHERE is_active AND NOT is_system_admin LIMIT 2000`,
      )
    ).rows.map((r) => r.id);
    const fragments = [
      ...new Set(
        sampled.slice(0, 300).flatMap((t) =>
          t.name
            .toLowerCase()
            .split(" ")
            .filter((w) => w.length >= 4)
            .map((w) => w.slice(0, 4)),
        ),
      ),
    ];
    const homeTeams = (
      await db.pool.query<{ id: string }>(
        `INSERT INTO teams (name) SELECT $1 || ' home ' || n FROM generate_series(1, $2::int) n RETURNING id::text`,
        [runId, clients],
      )
    ).rows.map((r) => r.id);
    const fixtures: Fixtures = {
      personas,
      teamIds: sampled.map((t) => t.id),
      userIds,
      fragments,
      homeTeams,
      regionId,
      runId,
      serial: 0,
      exclude: values.exclude.split(",").filter(Boolean),
    };
    line({
      fixtures: {
        sampledTeams: fixtures.teamIds.length,
        users: userIds.length,
        fragments: fragments.length,
        homeTeams: homeTeams.length,
      },
    });

    api = await startApi(url, sampleMs, config.cpuProfileDir);
    const trpc = makeClient(api.url, clients);
    const rec = new Recorder();

    // Warm-up (JIT, pools, caches): the same mix at a quarter of the clients, not measured.
    rec.enabled = false;
    const warmupEnd = performance.now() + Number(values.warmup) * 1000;
    await Promise.all(
      Array.from({ length: Math.max(1, clients / 4) }, (_, i) =>
        clientLoop(i, trpc, fixtures, rec, () => performance.now() < warmupEnd),
      ),
    );
    const before = await api.gcSample();
    line({
      memory: "before (after warm-up, after GC)",
      rssMB: mb(before.rss),
      heapUsedMB: mb(before.heapUsed),
      heapTotalMB: mb(before.heapTotal),
    });

    rec.enabled = true;
    const cpuBefore = process.cpuUsage();
    const meter = startCpuMeter(api.child.pid);
    const started = performance.now();
    const end = started + seconds * 1000;
    const loadStartT = api.samples.at(-1)?.t ?? 0;
    await Promise.all(
      Array.from({ length: clients }, (_, i) =>
        clientLoop(i, trpc, fixtures, rec, () => performance.now() < end),
      ),
    );
    const elapsed = (performance.now() - started) / 1000;
    // This process is the load generator (and the LiteLLM contract server, which answers
    // only keys.create and merges): its CPU share is what the measurement cost.
    const cpuUsed = process.cpuUsage(cpuBefore);
    const shares = meter.stop();
    const generatorShare = shares.share((cpuUsed.user + cpuUsed.system) / 1e6);
    const loadEndT = api.samples.at(-1)?.t ?? 0;

    // Per operation, then in total.
    let requests = 0;
    let errors = 0;
    const all: number[] = [];
    for (const [op, latencies] of [...rec.latencies].sort((x, y) => y[1].length - x[1].length)) {
      const failed = rec.errors.get(op) ?? 0;
      requests += latencies.length;
      errors += failed;
      all.push(...latencies);
      line({
        op,
        rps: Math.round((latencies.length / elapsed) * 10) / 10,
        ...summarize(latencies, failed),
        ...(failed ? { firstError: rec.samplesOfErrors.get(op) } : {}),
      });
    }
    const total = summarize(all, errors);
    const totalRps = Math.round(requests / elapsed);
    line({
      total: true,
      seconds: Math.round(elapsed * 10) / 10,
      clients,
      rps: totalRps,
      ...total,
      cpuSharePercent: {
        loadGeneratorAndContractServer: generatorShare,
        api: shares.server,
        postgres: shares.postgres,
        machineBusy: shares.machineBusy,
      },
    });
    const p50Of = (op: string) => summarize(rec.latencies.get(op) ?? [], 0).p50;

    // Let the merges' LiteLLM jobs finish, then settle and measure memory again.
    const pendingJobs = async () =>
      Number(
        (
          await db.pool.query<{ n: string }>(
            `SELECT count(*) AS n FROM jobs WHERE region_id = $1::uuid AND status <> 'DONE'`,
            [regionId],
          )
        ).rows[0]?.n ?? 0,
      );
    const drainDeadline = Date.now() + 60_000;
    while ((await pendingJobs()) > 0 && Date.now() < drainDeadline)
      await new Promise((r) => setTimeout(r, 500));
    line({
      jobs: {
        notDone: await pendingJobs(),
        litellmRequests: litellm.state.snapshot().requestCount,
      },
    });
    await new Promise((r) => setTimeout(r, 3_000));
    const after = await api.gcSample();

    const during = api.samples.filter(
      (s) => s.tag === "tick" && s.t >= loadStartT && s.t <= loadEndT,
    );
    line({
      memory: "trend during the load",
      samples: during.length,
      everyMs: sampleMs,
      rssMB: during.map((s) => mb(s.rss)),
      heapUsedMB: during.map((s) => mb(s.heapUsed)),
      rssSlopeMBPerMin: slopePerMinute(during.map((s) => ({ t: s.t / 60_000, y: mb(s.rss) }))),
      heapUsedSlopeMBPerMin: slopePerMinute(
        during.map((s) => ({ t: s.t / 60_000, y: mb(s.heapUsed) })),
      ),
      maxRssMB: mb(Math.max(...during.map((s) => s.rss))),
    });
    line({
      memory: "after (load done, jobs drained, after GC)",
      rssMB: mb(after.rss),
      heapUsedMB: mb(after.heapUsed),
      heapTotalMB: mb(after.heapTotal),
      heapUsedGrowthMB: mb(after.heapUsed - before.heapUsed),
      rssGrowthMB: mb(after.rss - before.rss),
    });
    // Targets, one PASS/FAIL line each. keys.create and teams.get are held to half of the
    // p50 they had before their round trips were cut (measured on an idle machine).
    const check = (name: string, pass: boolean, detail: Record<string, unknown>) =>
      line({ check: name, result: pass ? "PASS" : "FAIL", ...detail });
    check(`mix at ${clients} clients: >= 400 req/s`, totalRps >= 400, { rps: totalRps });
    check("mix: 0 errors", errors === 0, { errors });
    check("mix: p99 < 250 ms", total.p99 < 250, { p99: total.p99 });
    const heapGrowth = mb(after.heapUsed - before.heapUsed);
    check("memory flat: held heap after GC grows < 20 MB", heapGrowth < 20, {
      heapUsedGrowthMB: heapGrowth,
      rssGrowthMB: mb(after.rss - before.rss),
    });
    check(
      "keys.create p50 at least halved (<= 249 ms)",
      p50Of("keys.create") <= 249,
      { p50: p50Of("keys.create") },
    );
    check(
      "teams.get p50 at least halved (<= 165 ms; 2 round trips + session)",
      p50Of("teams.get admin") <= 165,
      { p50: p50Of("teams.get admin") },
    );
    check(
      "load generator's CPU share <= 25 % of the machine (Node client loop + contract server)",
      (generatorShare ?? 0) <= 25,
      { share: generatorShare },
    );
    line({
      check: "soak",
      errors,
      zeroErrors: errors === 0,
      loadavgAfter: os.loadavg().map((x) => Math.round(x * 100) / 100),
    });
  } finally {
    if (api) {
      api.child.kill("SIGTERM");
      await new Promise((resolve) => api!.child.once("exit", resolve));
    }
    if (regionId) await cleanUp(db, runId, regionId);
    await litellm.stop();
    await db.close();
  }
}

/** Removes what this run created: its teams (home, merge targets), keys, jobs and region. */
async function cleanUp(
  db: ReturnType<typeof createDatabase>,
  runId: string,
  regionId: string,
): Promise<void> {
  await db.pool.query(`DELETE FROM jobs WHERE region_id = $1::uuid`, [regionId]);
  await db.pool.query(`DELETE FROM api_keys WHERE region_id = $1::uuid`, [regionId]);
  const { rows } = await db.pool.query<{ id: string }>(
    `SELECT id::text FROM teams WHERE name LIKE $1 || ' %'`,
    [runId],
  );
  const ids = rows.map((r) => r.id);
  await db.pool.query(
    `DELETE FROM team_merges WHERE target_team_id = ANY($1::uuid[]) OR source_team_id = ANY($1::uuid[])`,
    [ids],
  );
  await db.pool.query(`DELETE FROM team_members WHERE team_id = ANY($1::uuid[])`, [ids]);
  await db.pool.query(`DELETE FROM teams WHERE id = ANY($1::uuid[])`, [ids]);
  // The records its merges and deletions left (merged-away teams are no longer in `teams`).
  await db.pool.query(`DELETE FROM ended_teams WHERE name LIKE $1 || ' %'`, [runId]);
  await db.pool.query(`DELETE FROM regions WHERE id = $1::uuid`, [regionId]);
  line({ cleanedUp: { teams: ids.length } });
}
