/**
 * loadMergeFacts, the read a merge and its preview are planned from, reads only the two
 * teams' rows: checked on the query plans PostgreSQL chooses, with the database only
 * (no server needed).
 */
import { loadMergeFacts } from "@gatehouse/db";
import { createTestDatabase, type TestDatabase } from "@gatehouse/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pglitePoolMax } from "../support/harness.ts";

let h: { db: TestDatabase };

beforeAll(async () => {
  const poolMax = pglitePoolMax();
  h = { db: await createTestDatabase(poolMax ? { poolMax } : {}) };
});
afterAll(() => h?.db.close());

describe("the facts a merge is planned from", () => {
  // Counting both teams' members and keys in one batched query (`WHERE id IN ($1, $2)` with
  // relation counts) makes PostgreSQL aggregate the WHOLE team_members and api_keys tables:
  // it cannot push `IN (...)` into those subqueries as it does `= $1`. On a large database
  // that is about a second per merge and per preview, inside the transaction that holds
  // both teams' locks, so every plan node on members and keys must be keyed by team.
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
