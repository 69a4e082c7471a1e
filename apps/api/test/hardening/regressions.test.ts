/**
 * Regression tests for bugs the hardening suite found and that are fixed: each pins its fix.
 * A new bug whose fix lies outside these files may start here as an expected failure
 * (`it.fails`, plus an entry in fuzz.test.ts's `knownBugs`) and becomes `it` with the fix.
 */
import net from "node:net";
import { loadMergeFacts } from "@gatehouse/db";
import { LiteLLMClient } from "@gatehouse/litellm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, insertSession, insertUser, type Credentials } from "../harness.ts";
import { startHardeningServer, type HardeningServer } from "./support/server.ts";

let h: HardeningServer;
let admin: Credentials;

beforeAll(async () => {
  h = await startHardeningServer();
  admin = {
    cookie: await insertSession(
      h,
      await insertUser(h.db, { email: "admin@known.example.com", isSystemAdmin: true }),
    ),
  };
});
afterAll(() => h?.close());

/** A cursor with the right shape and sort, and junk where the value and id go. */
const junkCursor = (sortBy: string, sortOrder: string, value: string, id: string): string =>
  Buffer.from(JSON.stringify([sortBy, sortOrder, value, id]), "utf8").toString("base64url");

describe("cursor-value-not-validated", () => {
  // BUG: packages/core/src/cursor.ts decodeCursor checks the cursor's shape and sort but
  // not its value and id. teams.list (packages/db/src/teams/list.ts) casts them in SQL
  // (`::uuid`, `::timestamptz`: "invalid input syntax for type uuid") and audit.list
  // (apps/api/src/routers/audit/list.handler.ts) builds `new Date(value)` for Prisma ("Provided
  // Date object is invalid"), so a forged cursor is a 500 instead of a 400.
  // FIX: in decodeCursor, require `id` to be a UUID and `value` to match the sort
  // (createdAt: an ISO date-time that parses; id: a UUID; name: a string of at most 200
  // characters), else `badRequest("Invalid cursor", { field: "cursor" })`.
  const cases = [
    ["teams.list", {}, junkCursor("createdAt", "desc", "not a date", "x")],
    ["teams.list", {}, junkCursor("createdAt", "desc", new Date().toISOString(), "x")],
    [
      "teams.list",
      { sortBy: "name", sortOrder: "asc" },
      junkCursor("name", "asc", "abc", "' OR 1=1 --"),
    ],
    ["audit.list", {}, junkCursor("createdAt", "desc", "not a date", crypto.randomUUID())],
    ["audit.list", {}, junkCursor("createdAt", "desc", new Date().toISOString(), "x")],
  ] as const;
  for (const [path, extra, cursor] of cases) {
    it(`${path} answers a forged cursor (${Buffer.from(cursor, "base64url").toString("utf8")}) with 400 naming the cursor`, async () => {
      const res = await call(h.url, "query", path, { ...extra, cursor }, { credentials: admin });
      expect(res.status).toBe(400);
      expect(res.error?.data.fieldErrors).toEqual({ cursor: [expect.any(String)] });
    });
  }
});

describe("merge-facts-aggregate-whole-tables", () => {
  // BUG (found by the soak benchmark: teams.merge p50 of seconds on the 1M-team database):
  // packages/db/src/teams/merge.ts loadMergeFacts runs teamFacts(source) and
  // teamFacts(target) in one Promise.all; each is a findUnique with
  // `_count: { members, keys }`, and Prisma batches the two into one findMany with
  // `WHERE id IN ($1, $2)`, whose relation counts are `GROUP BY team_id` over the WHOLE
  // team_members and api_keys tables (prisma#23669): PostgreSQL cannot push `IN (...)` into
  // those subqueries as it does `= $1`. About 1 s per merge and per preview on gh_bench,
  // inside the transaction that holds both teams' locks.
  // FIX: count per team explicitly (`teamMember.count({ where: { teamId } })`,
  // `apiKey.count(...)`, or the raw `(SELECT count(*) ... WHERE team_id = t.id)` of
  // teams/list.ts), or await the two teamFacts one after the other.
  it("loadMergeFacts reads only the two teams' rows (every plan node on members/keys is keyed by team)", async () => {
    const p = h.db.prisma;
    const [source, target] = await Promise.all([
      p.team.create({ data: { name: "facts source" } }),
      p.team.create({ data: { name: "facts target" } }),
    ]);
    const statements = await recordStatements(() => loadMergeFacts(p, source.id, target.id));
    expect(statements.length).toBeGreaterThan(0);
    const unkeyed: string[] = [];
    for (const { text, values } of statements) {
      for (const node of await planNodes(text, values)) {
        if (["team_members", "api_keys"].includes(node.relation) && !node.keyed)
          unkeyed.push(`${node.type} on ${node.relation}: ${text.slice(0, 160)}`);
      }
    }
    expect(unkeyed).toEqual([]);
  });
});

interface Statement {
  text: string;
  values: unknown[];
}

/**
 * The statements Prisma sends through the pool while `run` runs (outside a transaction,
 * Prisma's pg adapter calls `pool.query` with the SQL text and its values).
 */
async function recordStatements(run: () => Promise<unknown>): Promise<Statement[]> {
  const pool = h.db.pool as unknown as { query: (...args: unknown[]) => unknown };
  const original = pool.query;
  const seen: Statement[] = [];
  pool.query = (...args: unknown[]) => {
    const first = args[0] as { text?: unknown; values?: unknown } | string;
    if (typeof first === "object" && typeof first.text === "string") {
      seen.push({
        text: first.text,
        values: Array.isArray(first.values) ? (first.values as unknown[]) : [],
      });
    }
    return original.apply(h.db.pool, args);
  };
  try {
    await run();
  } finally {
    pool.query = original;
  }
  return seen;
}

interface PlanNode {
  type: string;
  relation: string;
  /** Reads by a key condition (index condition or a parameterized join), not everything. */
  keyed: boolean;
}

/** The scan nodes of a statement's plan, with sequential scans disabled (tiny tables). */
async function planNodes(text: string, values: unknown[]): Promise<PlanNode[]> {
  const client = await h.db.pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SET LOCAL enable_seqscan = off");
    const { rows } = await client.query<{ "QUERY PLAN": Array<{ Plan: RawPlan }> }>(
      `EXPLAIN (FORMAT JSON) ${text}`,
      values,
    );
    await client.query("ROLLBACK");
    const nodes: PlanNode[] = [];
    const walk = (plan: RawPlan): void => {
      if (plan["Relation Name"]) {
        // A bitmap heap scan is keyed through its bitmap index scan (the Recheck Cond).
        nodes.push({
          type: plan["Node Type"],
          relation: plan["Relation Name"],
          keyed: Boolean(plan["Index Cond"] ?? plan["Recheck Cond"]),
        });
      }
      for (const child of plan.Plans ?? []) walk(child);
    };
    walk(rows[0]!["QUERY PLAN"][0]!.Plan);
    return nodes;
  } finally {
    client.release();
  }
}

interface RawPlan {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Cond"?: string;
  "Recheck Cond"?: string;
  Plans?: RawPlan[];
}

describe("litellm-stale-keep-alive-socket", () => {
  // BUG (found by the soak benchmark: 1 keys.create in ~540 answered 503 "LiteLLM
  // createTeam (POST /team/new) failed: proxy unreachable (ECONNRESET)"):
  // packages/litellm/src/transport.ts keeps connections alive (`http.Agent({ keepAlive:
  // true })`) but does not handle the proxy closing an idle connection just as a request
  // is sent on it (Node's and uvicorn's keep-alive timeout is 5 s), so the request fails
  // with ECONNRESET / "socket hang up" and keys.create rolls back with a 503.
  // FIX: in nodeHttpTransport, when a request on a reused socket (`request.reusedSocket`)
  // fails with ECONNRESET/EPIPE before any response, send it once more on a new
  // connection (Node's documented pattern; every LiteLLM call here is idempotent), and/or
  // give the agent a free-socket timeout below the proxies' keep-alive timeout.
  it("a request on a keep-alive connection the proxy just closed is retried on a new one", async () => {
    // Answers the first request of each connection, and drops the connection on the second,
    // as a proxy does when its keep-alive timeout fires as the request arrives.
    const server = net.createServer((socket) => {
      let requests = 0;
      socket.on("data", (chunk: Buffer) => {
        if (!chunk.toString("latin1").includes("\r\n\r\n")) return;
        if (++requests > 1) return void socket.destroy();
        const body = JSON.stringify({
          key: "x",
          info: { key_alias: null, key_name: null, team_id: "t", user_id: "u", metadata: {} },
        });
        socket.write(
          `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: keep-alive\r\n\r\n${body}`,
        );
      });
      socket.on("error", () => socket.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const client = new LiteLLMClient({
      baseUrl: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
      masterKey: "sk-test-master-key",
    });
    try {
      await client.keyInfo("sk-first");
      await expect(client.keyInfo("sk-second")).resolves.toMatchObject({ teamId: "t" });
    } finally {
      client.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
