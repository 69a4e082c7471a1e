/**
 * `pnpm bench merge [--pg <url>] [--concurrency 32] [--latency 5] [--source-keys 10000]
 *  [--target-keys 10000] [--members 5000] [--conflicts 0.2] [--workers 1] [--prefetch n]`
 *
 * A big team merge on a fresh database (in-memory PGlite by default; a new database on the
 * server named by --pg or DATABASE_URL otherwise), with its LiteLLM side on the contract
 * server: the source team has 10,000 keys and 5,000 members, the target 10,000 keys of which
 * 20% share a name with a source key. Rows are written with set-based SQL and the proxy's
 * keys straight into the contract server's in-memory state, so setup stays out of the way.
 *
 * The contract server runs in a worker thread: a real LiteLLM is another process, and on
 * one event loop its request handling would compete with the worker's for the CPU (each
 * call then took ~18 ms at 5 ms latency, and the bench measured that contention).
 *
 * Measured, one JSON line each:
 * - `transaction`: executeMerge (rename) — the one database transaction, audit included;
 * - `sync`: a worker started on the queued jobs, until every job is DONE, next to the ideal
 *   (calls x latency / concurrency) and the ratio;
 * - `check`: the targets as PASS/FAIL lines (transaction < 2 s, sync within 1.5x of the
 *   ideal) and a correctness check (every moved key on LiteLLM in the target team with its
 *   new alias).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import { Session } from "node:inspector/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { createProcessDeps, startWorker } from "@gatehouse/api";
import { litellmKeyAlias, litellmTeamId } from "@gatehouse/core";
import { executeMerge, type Prisma } from "@gatehouse/db";
import { createTestDatabase } from "@gatehouse/db/testing";
import pg, { type Pool, type QueryResultRow } from "pg";
import type { ContractKey } from "@gatehouse/litellm/contract-server";
import { LiteLLMClient } from "@gatehouse/litellm";
import { loadBenchConfig } from "./config.ts";
import { ContractThread, serveContractThread } from "./contract-thread.ts";

const MASTER_KEY = "sk-bench-master-key";
const REGION = "bench region";

const line = (record: Record<string, unknown>): void =>
  console.log(JSON.stringify({ bench: "merge", ...record }));
const ms = (start: bigint): number => Number((process.hrtime.bigint() - start) / 1000n) / 1000;

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      pg: { type: "string" },
      concurrency: { type: "string", default: "32" },
      latency: { type: "string", default: "5" },
      "source-keys": { type: "string", default: "10000" },
      "target-keys": { type: "string", default: "10000" },
      members: { type: "string", default: "5000" },
      conflicts: { type: "string", default: "0.2" },
      workers: { type: "string", default: "1" },
      prefetch: { type: "string" },
    },
  });
  const concurrency = Number(values.concurrency);
  const latencyMs = Number(values.latency);
  const sourceKeys = Number(values["source-keys"]);
  const targetKeys = Number(values["target-keys"]);
  const members = Number(values.members);
  const conflicts = Math.round(Math.min(sourceKeys, targetKeys) * Number(values.conflicts));
  const workers = Number(values.workers);
  const prefetch = values.prefetch === undefined ? undefined : Number(values.prefetch);

  // A fresh database: createTestDatabase clones a migrated template on the server (and
  // drops it at the end), or starts an in-memory PGlite.
  const config = loadBenchConfig();
  const fresh = await createTestDatabase({
    poolMax: 1,
    serverUrl: values.pg ?? config.databaseUrl ?? null,
  });
  const backend = fresh.backend;
  // The API's own process wiring (pool, logger) on that database, as a worker runs it.
  // PGlite gets one connection, as openDatabase gives it (EMBEDDED_POOL_MAX): its socket
  // server can interleave the protocol messages of concurrent queries on several.
  const deps = await createProcessDeps({
    env: {
      DATABASE_URL: fresh.url,
      GATEHOUSE_LOG_LEVEL: config.apiLogLevel,
      GATEHOUSE_DB_POOL_MAX: backend === "pglite" ? "1" : "20",
    },
    applicationName: "bench-merge",
  });
  const { db } = deps;
  const litellm = await ContractThread.start<Request>(import.meta.url, ROLE);

  try {
    line({
      case: "setup",
      backend,
      sourceKeys,
      targetKeys,
      members,
      conflicts,
      concurrency,
      latencyMs,
      workers,
      prefetch: prefetch ?? "default",
    });
    const setupStart = process.hrtime.bigint();
    const ids = await populate(db.pool, {
      sourceKeys,
      targetKeys,
      members,
      conflicts,
      baseUrl: litellm.url,
    });
    await litellm.call({ type: "populate", ...(await litellmState(db.pool, ids)) });
    line({ case: "setup done", ms: ms(setupStart) });

    // LiteLLM answers every call after `latencyMs` from here on (the transaction makes none).
    await litellm.call({ type: "latency", ms: latencyMs });
    const txStart = process.hrtime.bigint();
    const outcome = await executeMerge(
      db.prisma,
      {
        sourceTeamId: ids.source,
        targetTeamId: ids.target,
        strategy: "rename",
        allowCrossOrganization: false,
      },
      {
        now: new Date(),
        createdByUserId: null,
        createdByServiceTokenId: null,
        // What teams.merge writes (through Prisma, as writeAudit does): the merge id and its
        // summary; the full snapshot is stored by executeMerge in team_merges.
        audit: async (tx: Prisma.TransactionClient, event) => {
          await tx.auditEvent.create({
            data: {
              action: "team.merge",
              targetType: "team",
              targetId: ids.target,
              details: { mergeId: event.mergeId, summary: { ...event.summary } },
            },
          });
        },
      },
    );
    const transactionMs = ms(txStart);
    line({
      case: "transaction",
      backend,
      ms: transactionMs,
      movedKeys: outcome.plan.keysToMove.length,
      renamedKeys: outcome.plan.conflicts.length,
      members: outcome.plan.members.length,
      jobs: outcome.jobs,
    });

    const requestsBefore = (await litellm.call({ type: "count" })).count;
    const profiler = await startProfile(config.cpuProfileDir, litellm);
    const queries = countQueries();
    const syncStart = process.hrtime.bigint();
    const running = Array.from({ length: workers }, (_, i) =>
      startWorker(
        { db, logger: deps.logger },
        { workerId: `bench-${i}`, concurrency, ...(prefetch === undefined ? {} : { prefetch }) },
      ),
    );
    for (;;) {
      await Promise.all(running.map((w) => w.drained()));
      const { rows } = await db.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM jobs WHERE status <> 'DONE'`,
      );
      if (rows[0]!.n === 0) break;
    }
    const syncMs = ms(syncStart);
    await Promise.all(running.map((w) => w.stop()));
    const roundTrips = queries.stop();
    await profiler?.stop("merge-sync");
    const calls = (await litellm.call({ type: "count" })).count - requestsBefore;
    const idealMs = (calls * latencyMs) / (concurrency * workers);
    const ratio = syncMs / idealMs;
    line({
      case: "sync",
      backend,
      ms: syncMs,
      calls,
      jobs: outcome.jobs,
      concurrency: concurrency * workers,
      latencyMs,
      idealMs,
      ratio: round(ratio),
      // Every statement the process sent while the worker ran (pg protocol round trips,
      // the bench's own drain checks included), by its first words.
      dbRoundTrips: roundTrips.total,
      dbRoundTripsPerJob: round(roundTrips.total / Math.max(1, outcome.jobs)),
      dbStatements: roundTrips.byKind,
    });

    const status = await db.prisma.teamMerge.findUniqueOrThrow({
      where: { id: outcome.mergeId },
      select: { status: true },
    });
    const targetTeam = litellmTeamId(REGION, ids.target);
    const expected = outcome.plan.keysToMove.map((k) => ({
      keyId: k.keyId,
      teamId: targetTeam,
      alias: litellmKeyAlias(targetTeam, k.newName),
    }));
    const wrong = (await litellm.call({ type: "check", expected })).count;

    // The floor of the sync on this machine: the same /key/update calls (idempotent now),
    // sent by a bare loop with the same concurrency through the same client: no queue, no
    // database, no worker. What the sync takes beyond it is Gatehouse's; what the floor
    // takes beyond the ideal is the machine (client and contract server share its cores).
    const moved = await db.pool.query<{ litellm_key_id: string; name: string }>(
      `SELECT litellm_key_id, name FROM api_keys WHERE team_id = $1::uuid AND id = ANY($2::uuid[])`,
      [ids.target, outcome.plan.keysToMove.map((k) => k.keyId)],
    );
    const client = new LiteLLMClient({ baseUrl: litellm.url, masterKey: MASTER_KEY });
    const floorProfiler = await startProfile(config.cpuProfileDir, litellm);
    const floorStart = process.hrtime.bigint();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency * workers }, async () => {
        while (next < moved.rows.length) {
          const key = moved.rows[next++]!;
          await client.updateKey({
            key: key.litellm_key_id,
            teamId: targetTeam,
            keyAlias: litellmKeyAlias(targetTeam, key.name),
          });
        }
      }),
    );
    const floorMs = ms(floorStart);
    await floorProfiler?.stop("merge-floor");
    client.close();
    const floorIdealMs = (moved.rows.length * latencyMs) / (concurrency * workers);
    line({
      case: "sync floor (the same calls from a bare loop)",
      backend,
      ms: floorMs,
      calls: moved.rows.length,
      idealMs: floorIdealMs,
      ratio: round(floorMs / floorIdealMs),
      syncVsFloor: round(syncMs / ((floorMs * calls) / moved.rows.length)),
    });
    // Targets, one PASS/FAIL line each. The ideal is one /key/update per moved
    // key: LiteLLM's /key/bulk_update cannot carry a move (its items have no key_alias, and
    // every move changes the alias, which names the team), see docs/benchmarks.md.
    const check = (name: string, pass: boolean, detail: Record<string, unknown>) =>
      line({ check: name, result: pass ? "PASS" : "FAIL", backend, ...detail });
    check("merge transaction < 2 s", transactionMs < 2000, { ms: transactionMs });
    check("LiteLLM sync within 1.5x of the ideal", ratio <= 1.5, {
      ms: syncMs,
      idealMs,
      ratio: round(ratio),
    });
    check(
      "every moved key in the target team with its new alias",
      wrong === 0 && status.status === "DONE",
      { mergeStatus: status.status, keysOutOfStep: wrong },
    );
  } finally {
    await litellm.stop();
    await deps.db.close();
    await fresh.close();
  }
}

const round = (n: number): number => Math.round(n * 100) / 100;

/**
 * BENCH_CPU_PROF=<dir>: V8 CPU profiles of one phase only, for `pnpm bench cpu-split`: the
 * main thread (the worker, or the floor's bare loop) to <dir>/<name>.cpuprofile and the
 * contract server's thread to <dir>/<name>-contract.cpuprofile. The profiles sample wall
 * time: on a loaded machine a thread waiting for a core counts where it was preempted.
 */
async function startProfile(
  dir: string | undefined,
  litellm: ContractThread<Request>,
): Promise<{ stop(name: string): Promise<void> } | null> {
  if (!dir) return null;
  fs.mkdirSync(dir, { recursive: true });
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  await litellm.call({ type: "profile" });
  return {
    async stop(name) {
      const { profile } = await session.post("Profiler.stop");
      session.disconnect();
      fs.writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
      await litellm.call({ type: "profile", file: path.join(dir, `${name}-contract.cpuprofile`) });
    },
  };
}

/**
 * Counts the statements every pg client of this process sends (Prisma's adapter and our
 * SQL share the one `pg`), by their first two words, until stop().
 */
function countQueries(): { stop(): { total: number; byKind: Record<string, number> } } {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  const byKind: Record<string, number> = {};
  proto.query = function (this: unknown, ...args: unknown[]) {
    const config = args[0];
    const text =
      typeof config === "string"
        ? config
        : typeof config === "object" && config !== null && "text" in config
          ? String(config.text)
          : "?";
    const kind = text.trim().split(/\s+/).slice(0, 2).join(" ");
    byKind[kind] = (byKind[kind] ?? 0) + 1;
    return original.apply(this, args);
  };
  return {
    stop() {
      proto.query = original;
      return { total: Object.values(byKind).reduce((a, b) => a + b, 0), byKind };
    },
  };
}

interface Ids {
  region: string;
  source: string;
  target: string;
}

/** Rows, set-based: users, both teams, memberships (some in both), keys (some names in both). */
async function populate(
  pool: Pool,
  o: {
    sourceKeys: number;
    targetKeys: number;
    members: number;
    conflicts: number;
    baseUrl: string;
  },
): Promise<Ids> {
  const q = async <T extends object = Record<string, unknown>>(
    sql: string,
    params: unknown[] = [],
  ) => (await pool.query<T & QueryResultRow>(sql, params)).rows;
  const [region] = await q<{ id: string }>(
    `INSERT INTO regions (name, litellm_base_url, litellm_master_key) VALUES ($1, $2, $3) RETURNING id::text`,
    [REGION, o.baseUrl, MASTER_KEY],
  );
  const [source] = await q<{ id: string }>(
    `INSERT INTO teams (name) VALUES ('Bench Source') RETURNING id::text`,
  );
  const [target] = await q<{ id: string }>(
    `INSERT INTO teams (name) VALUES ('Bench Target') RETURNING id::text`,
  );
  const ids = { region: region!.id, source: source!.id, target: target!.id };
  const run = crypto.randomBytes(3).toString("hex");
  await q(
    `INSERT INTO users (email, name, password_hash)
     SELECT 'bench-merge-' || $2 || '-' || lpad(g::text, 6, '0') || '@bench.test', 'member ' || g, 'x'
       FROM generate_series(1, $1::int) g`,
    [o.members, run],
  );
  // Every user is in the source with a cycling role; every 5th is in the target too, so
  // the merge adds, upgrades and keeps memberships.
  await q(
    `WITH u AS (SELECT id, row_number() OVER (ORDER BY email) AS n FROM users WHERE email LIKE 'bench-merge-' || $3 || '-%')
     INSERT INTO team_members (team_id, user_id, role)
     SELECT $1::uuid, id, (ARRAY['MEMBER','KEY_CREATOR','ADMIN','READ_ONLY'])[1 + n % 4]::"TeamRole" FROM u
     UNION ALL
     SELECT $2::uuid, id, (ARRAY['READ_ONLY','ADMIN','MEMBER','KEY_CREATOR'])[1 + n % 4]::"TeamRole" FROM u WHERE n % 5 = 0`,
    [ids.source, ids.target, run],
  );
  // Source keys by 100 different creators; target keys share the first `conflicts` names.
  await q(
    `WITH u AS (SELECT id, row_number() OVER (ORDER BY email) AS n FROM users WHERE email LIKE 'bench-merge-' || $4 || '-%')
     INSERT INTO api_keys (team_id, name, region_id, creator_id, litellm_key_id, key_prefix)
     SELECT $1::uuid, 'key-' || g, $2::uuid, u.id,
            encode(sha256(convert_to('sk-bench-' || $4 || '-s-' || g, 'UTF8')), 'hex'), 'sk-bench…'
       FROM generate_series(1, $3::int) g JOIN u ON u.n = 1 + g % 100`,
    [ids.source, ids.region, o.sourceKeys, run],
  );
  await q(
    `WITH u AS (SELECT id FROM users WHERE email LIKE 'bench-merge-' || $5 || '-%' ORDER BY email LIMIT 1)
     INSERT INTO api_keys (team_id, name, region_id, creator_id, litellm_key_id, key_prefix)
     SELECT $1::uuid, CASE WHEN g <= $4 THEN 'key-' || g ELSE 'tkey-' || g END, $2::uuid, u.id,
            encode(sha256(convert_to('sk-bench-' || $5 || '-t-' || g, 'UTF8')), 'hex'), 'sk-bench…'
       FROM generate_series(1, $3::int) g CROSS JOIN u`,
    [ids.target, ids.region, o.targetKeys, o.conflicts, run],
  );
  await q(`ANALYZE`);
  return ids;
}

interface StateMessage {
  teams: Array<{ teamId: string; teamAlias: string; members: string[] }>;
  keys: ContractKey[];
}

/** The proxy's side of the same keys, as the contract server's state holds them. */
async function litellmState(pool: Pool, ids: Ids): Promise<StateMessage> {
  const now = new Date().toISOString();
  const { rows } = await pool.query<{
    id: string;
    name: string;
    team_id: string;
    creator_id: string;
    litellm_key_id: string;
  }>(
    `SELECT id::text, name, team_id::text, creator_id::text, litellm_key_id FROM api_keys WHERE team_id IN ($1::uuid, $2::uuid)`,
    [ids.source, ids.target],
  );
  const teams = new Map<string, { teamId: string; teamAlias: string; members: Set<string> }>();
  const keys: ContractKey[] = [];
  for (const row of rows) {
    const teamId = litellmTeamId(REGION, row.team_id);
    const team = teams.get(teamId) ?? {
      teamId,
      teamAlias: row.team_id === ids.source ? "Bench Source" : "Bench Target",
      members: new Set(),
    };
    teams.set(teamId, team);
    team.members.add(row.creator_id);
    keys.push({
      token: row.litellm_key_id,
      keyName: `sk-...${row.litellm_key_id.slice(-4)}`,
      keyAlias: litellmKeyAlias(teamId, row.name),
      teamId,
      userId: row.creator_id,
      metadata: { gatehouse_key_id: row.id, gatehouse_team_id: row.team_id },
      createdAt: now,
      updatedAt: now,
    });
  }
  return { teams: [...teams.values()].map((t) => ({ ...t, members: [...t.members] })), keys };
}

/* ------------------------------------------------- the contract server's worker thread */

type Request =
  | ({ type: "populate" } & StateMessage)
  | { type: "count" }
  | { type: "check"; expected: Array<{ keyId: string; teamId: string; alias: string }> };
const ROLE = "litellm-contract-server";

serveContractThread<Request>(ROLE, MASTER_KEY, (server, request) => {
  switch (request.type) {
    case "populate":
      for (const t of request.teams) {
        server.state.teams.set(t.teamId, {
          teamId: t.teamId,
          teamAlias: t.teamAlias,
          metadata: {},
          members: new Map(
            t.members.map((userId) => [userId, { userId, userEmail: null, role: "user" as const }]),
          ),
          createdAt: new Date().toISOString(),
        });
      }
      for (const key of request.keys) server.state.putKey(key);
      return request.keys.length;
    case "count":
      return server.state.snapshot().requestCount;
    case "check": {
      // Keys whose LiteLLM team or alias is not what the merge planned.
      const byRow = new Map<string, ContractKey>();
      for (const key of server.state.keys.values()) {
        const rowId = key.metadata.gatehouse_key_id;
        if (typeof rowId === "string") byRow.set(rowId, key);
      }
      return request.expected.filter(
        (e) => byRow.get(e.keyId)?.teamId !== e.teamId || byRow.get(e.keyId)?.keyAlias !== e.alias,
      ).length;
    }
  }
});
