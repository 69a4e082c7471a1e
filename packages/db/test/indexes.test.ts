/**
 * Indexes are part of the contract: every list query must be served by one.
 * These tests generate a few thousand teams, ANALYZE, and read the planner's choice with
 * EXPLAIN (FORMAT JSON) for the query shapes the API runs. They run on PGlite and on a real
 * server (vitest projects), whose planners must both agree.
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SWEEP_BLOCK_CANDIDATES_SQL, SWEEP_LIFT_CANDIDATES_SQL } from "../src/teams/expiry.ts";
import { LAPSE_CANDIDATES_SQL } from "../src/teams/renewal.ts";
import { planTeamList } from "@gatehouse/core";
import { generateData } from "../src/data/generate.ts";
import { listTeams, type TeamListQuery } from "../src/teams/list.ts";
import { PRUNE_CANDIDATES_SQL } from "../src/spend/index.ts";
import { EXPIRY_WARNINGS_SQL, SPEND_ALERTS_SQL } from "../src/alerts/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/index.ts";

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

interface PlanSummary {
  /** Every node, depth first, as "Node Type" or "Node Type on relation using index". */
  nodes: string[];
  nodeTypes: Set<string>;
  indexes: Set<string>;
  /** Relations read by a sequential scan. */
  seqScans: Set<string>;
}

/** Walks EXPLAIN's JSON plan tree and collects node types, indexes and seq-scanned tables. */
export function summarizePlan(root: PlanNode): PlanSummary {
  const summary: PlanSummary = {
    nodes: [],
    nodeTypes: new Set(),
    indexes: new Set(),
    seqScans: new Set(),
  };
  const visit = (node: PlanNode) => {
    const type = node["Node Type"];
    summary.nodeTypes.add(type);
    summary.nodes.push(
      [
        type,
        node["Relation Name"] && `on ${node["Relation Name"]}`,
        node["Index Name"] && `using ${node["Index Name"]}`,
      ]
        .filter(Boolean)
        .join(" "),
    );
    if (node["Index Name"]) summary.indexes.add(node["Index Name"]);
    if (type === "Seq Scan" && node["Relation Name"]) summary.seqScans.add(node["Relation Name"]);
    node.Plans?.forEach(visit);
  };
  visit(root);
  return summary;
}

async function explain(
  client: Pick<pg.Pool, "query">,
  sql: string,
  params: unknown[] = [],
): Promise<PlanSummary> {
  const { rows } = await client.query<{ "QUERY PLAN": Array<{ Plan: PlanNode }> }>(
    `EXPLAIN (FORMAT JSON) ${sql}`,
    params,
  );
  const plan = rows[0]?.["QUERY PLAN"][0]?.Plan;
  if (!plan) throw new Error("EXPLAIN returned no plan");
  return summarizePlan(plan);
}

/** Asserts the plan reads `index` and never scans `table` sequentially (message shows the plan). */
function expectIndex(plan: PlanSummary, index: string, table: string): void {
  const shown = plan.nodes.join(" -> ");
  expect(plan.indexes.has(index), `expected ${index} in: ${shown}`).toBe(true);
  expect(plan.seqScans.has(table), `unexpected Seq Scan on ${table} in: ${shown}`).toBe(false);
}

const now = new Date("2026-06-30T12:00:00Z");
let db: TestDatabase;
let bigOrgId: string;
let smallOrgId: string;
let userId: string;
let pageIds: string[];
let cursor: { createdAt: Date; id: string };

beforeAll(async () => {
  db = await createTestDatabase();
  // 5,000 teams: 25,000 memberships, 10,000 keys; enough for the planner to prefer
  // indexes, small enough for PGlite in a few seconds. generateData ANALYZEs at the end.
  await generateData(db.pool, { teams: 5_000, passwordHash: "test-hash", now, finish: "none" });
  // Generated organizations have ~20 teams each, which the planner rightly fetches and
  // sorts (a bitmap scan is cheaper than walking an index for 20 rows). A third of all
  // teams go to one large organization, where sorting them all would be the mistake.
  const org = await db.pool.query<{ id: string }>(
    `SELECT organization_id AS id FROM teams WHERE organization_id IS NOT NULL LIMIT 1`,
  );
  bigOrgId = org.rows[0]!.id;
  await db.pool.query(
    `UPDATE teams SET organization_id = $1::uuid WHERE organization_id IS NOT NULL AND hashtext(id::text) % 3 = 0`,
    [bigOrgId],
  );
  const small = await db.pool.query<{ id: string }>(
    `SELECT organization_id AS id FROM teams WHERE organization_id <> $1::uuid LIMIT 1`,
    [bigOrgId],
  );
  smallOrgId = small.rows[0]!.id;
  // Sessions accumulate (one per login until cleaned up): the generator's one per ten
  // users is a few pages here, which a seq scan rightly reads whole.
  await db.pool.query(
    `INSERT INTO sessions (token_hash, user_id, idle_expires_at, absolute_expires_at, created_at)
     SELECT md5('extra' || n), u.id, $1::timestamptz, $1::timestamptz, $1::timestamptz - n * interval '1 minute'
       FROM generate_series(1, 20000) AS n
       JOIN (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM users) u
         ON u.rn = 1 + n % (SELECT count(*) FROM users)`,
    [now],
  );
  await db.pool.query("ANALYZE");
  const user = await db.pool.query<{ id: string }>(
    `SELECT user_id AS id FROM team_members LIMIT 1`,
  );
  userId = user.rows[0]!.id;
  const page = await db.pool.query<{ id: string; created_at: Date }>(
    `SELECT id, created_at FROM teams ORDER BY created_at DESC, id DESC LIMIT 25`,
  );
  pageIds = page.rows.map((r) => r.id);
  const last = page.rows.at(-1)!;
  cursor = { createdAt: last.created_at, id: last.id };
}, 120_000);

afterAll(async () => {
  await db?.close();
});

describe("list queries are served by their indexes", () => {
  it("teams of one organization, newest first (teams_org_created_at_id_idx)", async () => {
    const sql = `SELECT id, created_at FROM teams WHERE organization_id = $1::uuid
                  ORDER BY created_at DESC, id DESC LIMIT 25`;
    const big = await explain(db.pool, sql, [bigOrgId]);
    expectIndex(big, "teams_org_created_at_id_idx", "teams");
    // Read in index order and stopped after 25: no sort of the organization's teams.
    expect(big.nodeTypes.has("Sort"), big.nodes.join(" -> ")).toBe(false);

    // A small organization's ~20 teams may come from either organization index (the
    // planner fetches and sorts them); what matters is no scan of teams.
    const small = await explain(db.pool, sql, [smallOrgId]);
    expect(small.seqScans.has("teams"), small.nodes.join(" -> ")).toBe(false);
    expect(
      [...small.indexes].some((i) => i.startsWith("teams_org_")),
      small.nodes.join(" -> "),
    ).toBe(true);
  });

  it("all teams, newest first, first page and by keyset cursor (teams_created_at_id_idx)", async () => {
    const first = await explain(
      db.pool,
      `SELECT id, created_at FROM teams ORDER BY created_at DESC, id DESC LIMIT 25`,
    );
    expectIndex(first, "teams_created_at_id_idx", "teams");
    expect(first.nodeTypes.has("Sort")).toBe(false);

    const next = await explain(
      db.pool,
      `SELECT id, created_at FROM teams WHERE (created_at, id) < ($1::timestamptz, $2::uuid)
        ORDER BY created_at DESC, id DESC LIMIT 25`,
      [cursor.createdAt, cursor.id],
    );
    expectIndex(next, "teams_created_at_id_idx", "teams");
    expect(next.nodeTypes.has("Sort")).toBe(false);
  });

  it("teams by spend, first page and by keyset cursor, all and per organization (teams_spend_id_idx, teams_org_spend_id_idx)", async () => {
    const first = await explain(
      db.pool,
      `SELECT id, spend_usd FROM teams ORDER BY spend_usd DESC, id DESC LIMIT 25`,
    );
    expectIndex(first, "teams_spend_id_idx", "teams");
    expect(first.nodeTypes.has("Sort")).toBe(false);
    const next = await explain(
      db.pool,
      `SELECT id, spend_usd FROM teams WHERE (spend_usd, id) < ($1::numeric, $2::uuid) ORDER BY spend_usd DESC, id DESC LIMIT 25`,
      ["0", cursor.id],
    );
    expectIndex(next, "teams_spend_id_idx", "teams");
    const org = await explain(
      db.pool,
      `SELECT id, spend_usd FROM teams WHERE organization_id = $1::uuid ORDER BY spend_usd DESC, id DESC LIMIT 25`,
      [bigOrgId],
    );
    expectIndex(org, "teams_org_spend_id_idx", "teams");
    expect(org.nodeTypes.has("Sort")).toBe(false);
  });

  it("name contains search can use the trigram index (teams_name_trgm_idx)", async () => {
    const client = await db.pool.connect();
    try {
      await client.query("BEGIN");
      // On a few thousand rows a seq scan is genuinely cheaper, so the planner rightly
      // picks it. Disabling seq scans asks the other question: CAN an index serve
      // `ILIKE '%x%'`? Without a usable trigram index the planner would still have to
      // seq scan (at a penalty cost), and this assertion would fail.
      await client.query("SET LOCAL enable_seqscan = off");
      const plan = await explain(
        client,
        `SELECT id FROM teams WHERE name ILIKE $1 ORDER BY created_at DESC, id DESC LIMIT 25`,
        ["%falcon%"],
      );
      expectIndex(plan, "teams_name_trgm_idx", "teams");
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
  });

  it("a user's memberships, and the member branch of the listing (team_members_user_id_team_id_idx)", async () => {
    const memberships = await explain(
      db.pool,
      `SELECT team_id, role FROM team_members WHERE user_id = $1::uuid`,
      [userId],
    );
    expectIndex(memberships, "team_members_user_id_team_id_idx", "team_members");

    const branch = await explain(
      db.pool,
      `SELECT t.id, t.created_at FROM team_members m JOIN teams t ON t.id = m.team_id
        WHERE m.user_id = $1::uuid ORDER BY t.created_at DESC, t.id DESC LIMIT 26`,
      [userId],
    );
    expectIndex(branch, "team_members_user_id_team_id_idx", "team_members");
    expectIndex(branch, "teams_pkey", "teams");
  });

  it("member and key counts for one page of teams use the primary key / unique index", async () => {
    const members = await explain(
      db.pool,
      `SELECT team_id, count(*) FROM team_members WHERE team_id = ANY($1::uuid[]) GROUP BY team_id`,
      [pageIds],
    );
    expectIndex(members, "team_members_pkey", "team_members");

    const keys = await explain(
      db.pool,
      `SELECT team_id, count(*) FROM api_keys WHERE team_id = ANY($1::uuid[]) GROUP BY team_id`,
      [pageIds],
    );
    expectIndex(keys, "api_keys_team_id_name_key", "api_keys");
  });

  it("audit events of one target, newest first (audit_events_target_type_target_id_created_at_idx)", async () => {
    const plan = await explain(
      db.pool,
      `SELECT id, action, created_at FROM audit_events WHERE target_type = 'team' AND target_id = $1
        ORDER BY created_at DESC LIMIT 50`,
      [pageIds[0]],
    );
    expectIndex(plan, "audit_events_target_type_target_id_created_at_idx", "audit_events");
    expect(plan.nodeTypes.has("Sort")).toBe(false);
  });

  it("sessions of one user, newest first (sessions_user_id_created_at_idx)", async () => {
    const plan = await explain(
      db.pool,
      `SELECT id, created_at, revoked_at FROM sessions WHERE user_id = $1::uuid ORDER BY created_at DESC LIMIT 50`,
      [userId],
    );
    expectIndex(plan, "sessions_user_id_created_at_idx", "sessions");
  });
});

describe("teams sorted by name: the listing's own SQL, served by teams_name_sort_idx", () => {
  /** EXPLAINs each statement listTeams sends for `query` (page and total). */
  async function explainListing(query: Partial<TeamListQuery>): Promise<PlanSummary[]> {
    const sent: Array<{ text: string; values: unknown[] }> = [];
    const recorder = {
      query: (config: { text: string; values?: unknown[] }) => {
        sent.push({ text: config.text, values: config.values ?? [] });
        return Promise.resolve({ rows: [] });
      },
    } as unknown as pg.Pool;
    await listTeams(recorder, {
      plan: planTeamList(
        { kind: "user", userId, isSystemAdmin: true, adminOrgIds: [], sessionId: "s" },
        {},
      ),
      filters: {},
      sortBy: "name",
      sortOrder: "asc",
      pageSize: 25,
      offset: 0,
      after: null,
      now,
      expiryGraceDays: 30,
      totalCap: 10_000,
      ...query,
    });
    return Promise.all(sent.map((s) => explain(db.pool, s.text, s.values)));
  }

  it("first page ascending and descending, and a keyset page, read the index in order (no sort)", async () => {
    // The page's ids come from the index, read in order and cut at the page size. (Joining
    // those 26 ids back to teams may be a hash join over a table this small: not the point.)
    const pageFromIndex = (plan: PlanSummary) => {
      const at = plan.nodes.findIndex((n) =>
        /^Index (Only )?Scan( Backward)? on teams using teams_name_sort_idx$/.test(n),
      );
      expect(at, plan.nodes.join(" -> ")).toBeGreaterThan(0);
      expect(plan.nodes[at - 1], plan.nodes.join(" -> ")).toBe("Limit");
    };
    for (const sortOrder of ["asc", "desc"] as const) {
      const [first] = await explainListing({ sortOrder });
      pageFromIndex(first!);
      const [next] = await explainListing({
        sortOrder,
        after: { value: "m", id: "00000000-0000-0000-0000-000000000000" },
      });
      pageFromIndex(next!);
    }
  });
});

describe("reconciliation reads", () => {
  it("a region's keys in token order, one keyset page (api_keys_region_token_idx)", async () => {
    const region = await db.pool.query<{ id: string }>(`SELECT id FROM regions LIMIT 1`);
    // The page query of apps/api/src/reconcile/scan.ts (gatehouseKeys).
    const plan = await explain(
      db.pool,
      `SELECT k.id::text, k.name, k.team_id::text, t.name, k.litellm_key_id, k.creator_id::text, k.secret_sealed
         FROM api_keys k JOIN teams t ON t.id = k.team_id
        WHERE k.region_id = $1::uuid AND k.litellm_key_id > $2 AND k.litellm_key_id ~ '^[0-9a-f]{64}$'
          AND NOT EXISTS (SELECT 1 FROM api_key_blocks b WHERE b.api_key_id = k.id AND b.reason = 'owner_left')
        ORDER BY k.litellm_key_id LIMIT 1000`,
      [region.rows[0]!.id, "8"],
    );
    expectIndex(plan, "api_keys_region_token_idx", "api_keys");
    expect(plan.nodeTypes.has("Sort"), plan.nodes.join(" -> ")).toBe(false);
  });
});

describe("the expiry sweep is served by indexes", () => {
  // Far enough back that few teams qualify (the steady state: most expired teams already
  // carry their block); the sweep's own EXISTS checks go through primary keys.
  const cutoff = new Date(now.getTime() - 400 * 86_400_000);
  beforeAll(async () => {
    // Blocks accumulate: many manual ones, a few expired ones.
    await db.pool.query(
      `INSERT INTO team_blocks (team_id, reason) SELECT id, 'manual' FROM teams ORDER BY id LIMIT 2000`,
    );
    await db.pool.query(
      `INSERT INTO team_blocks (team_id, reason) SELECT id, 'expired' FROM teams ORDER BY id DESC LIMIT 20`,
    );
    await db.pool.query("ANALYZE team_blocks");
  });

  it("finds teams to block from teams_last_payment_created_idx, never scanning teams", async () => {
    // A full round (no previous cutoff) and the usual one (the teams crossing since the last).
    for (const since of [null, new Date(cutoff.getTime() - 86_400_000)]) {
      const plan = await explain(db.pool, SWEEP_BLOCK_CANDIDATES_SQL, [cutoff, 10_000, since]);
      expectIndex(plan, "teams_last_payment_created_idx", "teams");
      expect(plan.seqScans.has("team_products"), plan.nodes.join(" -> ")).toBe(false);
      expect(plan.seqScans.has("team_blocks"), plan.nodes.join(" -> ")).toBe(false);
    }
  });

  it("finds expired blocks to lift from team_blocks_reason_team_id_idx", async () => {
    const plan = await explain(db.pool, SWEEP_LIFT_CANDIDATES_SQL, [cutoff, 10_000]);
    expectIndex(plan, "team_blocks_reason_team_id_idx", "team_blocks");
    expect(plan.seqScans.has("teams"), plan.nodes.join(" -> ")).toBe(false);
  });
});

describe("product lapse and spend retention are served by indexes", () => {
  it("finds a product's attachments to lapse from team_products_product_id_status_period_start_idx", async () => {
    const { rows } = await db.pool.query<{ id: string }>(`SELECT id::text FROM products LIMIT 1`);
    const cutoff = new Date(now.getTime() - 60 * 86_400_000);
    const plan = await explain(db.pool, LAPSE_CANDIDATES_SQL, [rows[0]!.id, cutoff, 10_000]);
    expectIndex(plan, "team_products_product_id_status_period_start_idx", "team_products");
  });

  it("prunes old daily points from team_spend_daily_day_idx", async () => {
    // Two years of daily points for a hundred teams; a quarter of them past the horizon.
    await db.pool.query(
      `INSERT INTO team_spend_daily (team_id, region_id, day, spend_usd, as_of)
       SELECT t.id, r.id, d::date, 1, d
         FROM (SELECT id FROM teams ORDER BY id LIMIT 100) t
        CROSS JOIN (SELECT id FROM regions LIMIT 1) r
        CROSS JOIN generate_series('2024-01-01'::timestamptz, '2025-12-31'::timestamptz, interval '1 day') d`,
    );
    await db.pool.query("ANALYZE team_spend_daily");
    const plan = await explain(db.pool, PRUNE_CANDIDATES_SQL, ["2024-03-01", 5_000]);
    expectIndex(plan, "team_spend_daily_day_idx", "team_spend_daily");
  });
});

describe("alert evaluation is served by indexes", () => {
  it("reads only the rows a sync changed (team_spend_alert_pending_idx), never scanning spend", async () => {
    const { rows } = await db.pool.query<{ id: string }>(`SELECT id::text FROM regions LIMIT 1`);
    const regionId = rows[0]!.id;
    // Every team read on the region, twenty changed by the last sync.
    await db.pool.query(
      `INSERT INTO team_spend (team_id, region_id, spend_usd, max_budget_usd, budget_reset_at, as_of)
       SELECT id, $1::uuid, 10, 100, $2::timestamptz, $2::timestamptz FROM teams
       ON CONFLICT DO NOTHING`,
      [regionId, now],
    );
    await db.pool.query(
      `UPDATE team_spend SET changed_at = $2::timestamptz
        WHERE region_id = $1::uuid AND team_id IN (SELECT id FROM teams ORDER BY id LIMIT 20)`,
      [regionId, now],
    );
    // A week of daily points per team (the forecast's baselines).
    await db.pool.query(
      `INSERT INTO team_spend_daily (team_id, region_id, day, spend_usd, as_of)
       SELECT t.id, $1::uuid, ($2::timestamptz AT TIME ZONE 'UTC')::date - d, 1, $2::timestamptz
         FROM teams t CROSS JOIN generate_series(1, 7) d
       ON CONFLICT DO NOTHING`,
      [regionId, now],
    );
    await db.pool.query("ANALYZE team_spend");
    await db.pool.query("ANALYZE team_spend_daily");
    const plan = await explain(db.pool, SPEND_ALERTS_SQL, [regionId, now, [50, 90], 20_000]);
    expectIndex(plan, "team_spend_alert_pending_idx", "team_spend");
    for (const table of ["team_spend_daily", "teams"])
      expect(plan.seqScans.has(table), plan.nodes.join(" -> ")).toBe(false);
  });

  it("finds the teams to warn of expiry from teams_last_payment_created_idx", async () => {
    const start = new Date(now.getTime() - 30 * 86_400_000);
    const end = new Date(start.getTime() + 14 * 86_400_000);
    const plan = await explain(db.pool, EXPIRY_WARNINGS_SQL, [now, start, end, 30, [14, 7, 1]]);
    expectIndex(plan, "teams_last_payment_created_idx", "teams");
    expect(plan.seqScans.has("team_products"), plan.nodes.join(" -> ")).toBe(false);
  });
});

describe("summarizePlan", () => {
  it("collects nested nodes, indexes and seq scans", () => {
    const summary = summarizePlan({
      "Node Type": "Limit",
      Plans: [
        {
          "Node Type": "Nested Loop",
          Plans: [
            { "Node Type": "Seq Scan", "Relation Name": "a" },
            { "Node Type": "Index Scan", "Relation Name": "b", "Index Name": "b_pkey" },
          ],
        },
      ],
    });
    expect(summary.nodes).toEqual([
      "Limit",
      "Nested Loop",
      "Seq Scan on a",
      "Index Scan on b using b_pkey",
    ]);
    expect([...summary.indexes]).toEqual(["b_pkey"]);
    expect([...summary.seqScans]).toEqual(["a"]);
  });
});
