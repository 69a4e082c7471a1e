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
import { parseArgs } from "node:util";
import { createProcessDeps, startWorker } from "@gatehouse/api";
import { litellmKeyAlias, litellmTeamId } from "@gatehouse/core";
import { executeMerge, type Prisma } from "@gatehouse/db";
import { createTestDatabase } from "@gatehouse/db/testing";
import type { ContractKey } from "@gatehouse/litellm/contract-server";
import { LiteLLMClient } from "@gatehouse/litellm";
import { loadBenchConfig } from "./config.ts";
import { ContractThread, serveContractThread } from "./contract-thread.ts";
import { litellmState, MASTER_KEY, populate, REGION, type StateMessage } from "./merge/fixtures.ts";
import { countQueries, startProfile } from "./merge/probes.ts";

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
