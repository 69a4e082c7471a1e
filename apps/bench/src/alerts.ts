/**
 * `pnpm bench alerts [--pg <url>] [--teams 1000000] [--changed 10000]`
 *
 * One budget-alert evaluation pass (db evaluateSpendAlerts, what the spend sync runs at its
 * end) over a region of `--teams` teams (default a million, in 5,000 organizations, a tenth
 * with their own alert settings), each with a spend reading and a week of daily points, after
 * a sync that changed `--changed` of them (marked `changed_at`; a third of those past 50 %,
 * a few past 90 %, a tenth spending fast enough to forecast). Data is built set-based in the
 * database. Memory is sampled every 20 ms in this process (the evaluation holds one result
 * row: the work is the database's).
 *
 * One JSON line each: `setup`, `explain` (the plan's index use, and on PostgreSQL the
 * EXPLAIN ANALYZE text), `evaluate` (wall time, events, peak RSS growth), `again` (a second
 * pass with nothing changed), `check`.
 */
import { parseArgs } from "node:util";
import { createProcessDeps } from "@gatehouse/api";
import { DEFAULT_BUDGET_THRESHOLDS } from "@gatehouse/core";
import { evaluateSpendAlerts, SPEND_ALERTS_SQL } from "@gatehouse/db";
import { createTestDatabase } from "@gatehouse/db/testing";
import { loadBenchConfig } from "./config.ts";

const line = (record: Record<string, unknown>): void =>
  console.log(JSON.stringify({ bench: "alerts", ...record }));
const ms = (start: bigint): number => Number((process.hrtime.bigint() - start) / 1000n) / 1000;
const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      pg: { type: "string" },
      teams: { type: "string", default: "1000000" },
      changed: { type: "string", default: "10000" },
    },
  });
  const teamCount = Number(values.teams);
  const changed = Math.min(Number(values.changed), teamCount);
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
    applicationName: "bench-alerts",
  });
  const { db } = deps;
  try {
    line({ case: "setup", backend: fresh.backend, teams: teamCount, changed });
    const setupStart = process.hrtime.bigint();
    const region = await db.prisma.region.create({
      data: { name: "bench region", litellmBaseUrl: "http://127.0.0.1:1", litellmMasterKey: "x" },
      select: { id: true },
    });
    const now = new Date();
    const reset = new Date(now.getTime() + 20 * 86_400_000);
    await db.pool.query(
      `INSERT INTO organizations (name) SELECT 'bench org ' || n FROM generate_series(1, 5000) n`,
    );
    await db.pool.query(
      `INSERT INTO alert_settings (organization_id, budget_thresholds, expiry_warning_days)
       SELECT id, ARRAY[25, 50, 80, 100], ARRAY[7] FROM organizations
        WHERE hashtext(id::text) % 10 = 0`,
    );
    await db.pool.query(
      `INSERT INTO teams (name, organization_id, created_at)
       SELECT 'bench team ' || n, o.id, now() - n * interval '1 second'
         FROM generate_series(1, $1::int) n
         JOIN (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM organizations) o
           ON o.rn = 1 + n % 5000`,
      [teamCount],
    );
    // Every team has a reading (spend well below its budget) and a week of daily points;
    // none is marked changed yet.
    await db.pool.query(
      `INSERT INTO team_spend (team_id, region_id, spend_usd, max_budget_usd, budget_duration, budget_reset_at, as_of)
       SELECT id, $1::uuid, 10, 100, '30d', $2::timestamptz, $3::timestamptz FROM teams`,
      [region.id, reset, now],
    );
    await db.pool.query(
      `INSERT INTO team_spend_daily (team_id, region_id, day, spend_usd, budget_reset_at, as_of)
       SELECT t.id, $1::uuid, (($3::timestamptz AT TIME ZONE 'UTC')::date - d), 10 - d, $2::timestamptz, $3::timestamptz
         FROM teams t CROSS JOIN generate_series(1, 7) d`,
      [region.id, reset, now],
    );
    // The sync's changes: `changed` teams read again, a third past 50 %, one in 50 past 90 %,
    // a tenth spending fast enough to run out before the reset.
    await db.pool.query(
      `UPDATE team_spend s
          SET changed_at = $2::timestamptz,
              spend_usd = CASE WHEN c.rn % 50 = 0 THEN 95 WHEN c.rn % 3 = 0 THEN 60
                               WHEN c.rn % 10 = 1 THEN 45 ELSE 12 END
         FROM (SELECT id, row_number() OVER () AS rn FROM teams LIMIT $1) c
        WHERE s.team_id = c.id`,
      [changed, now],
    );
    await db.pool.query("ANALYZE");
    line({ case: "setup-done", seconds: ms(setupStart) / 1000 });

    const params = [region.id, now, [...DEFAULT_BUDGET_THRESHOLDS], 20_000];
    // The plan, without running it (EXPLAIN ANALYZE would evaluate and clear the marks).
    const { rows: plan } = await db.pool.query<{ "QUERY PLAN": string }>(
      `EXPLAIN ${SPEND_ALERTS_SQL}`,
      params,
    );
    const text = plan.map((r) => r["QUERY PLAN"]).join("\n");
    line({
      case: "explain",
      pendingIndex: text.includes("team_spend_alert_pending_idx"),
      seqScans: [...text.matchAll(/Seq Scan on (\w+)/g)].map((m) => m[1]),
      plan: text,
    });

    const baseline = process.memoryUsage();
    let peakRss = baseline.rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 20);
    const start = process.hrtime.bigint();
    const outcome = await evaluateSpendAlerts(db, { regionId: region.id, now });
    const wallMs = ms(start);
    clearInterval(sampler);
    line({
      case: "evaluate",
      wallMs,
      ...outcome,
      peakRssMb: mb(peakRss),
      rssGrowthMb: mb(peakRss - baseline.rss),
    });
    const againStart = process.hrtime.bigint();
    const again = await evaluateSpendAlerts(db, { regionId: region.id, now });
    line({ case: "again", wallMs: ms(againStart), ...again });
    const { rows } = await db.pool.query<{ events: number; jobs: number }>(
      `SELECT (SELECT count(*) FROM events)::int AS events,
              (SELECT count(*) FROM jobs WHERE kind = 'events.dispatch')::int AS jobs`,
    );
    const checks = {
      changedOnly: { target: `${changed} teams read`, ok: outcome.teams === changed },
      once: { target: "a second pass reads and raises nothing", ok: again.teams === 0 },
      dispatch: { target: "one dispatch job per event", ok: rows[0]?.events === rows[0]?.jobs },
      indexed: {
        target: "team_spend_alert_pending_idx, no seq scan of team_spend / team_spend_daily",
        ok: text.includes("team_spend_alert_pending_idx") && !/Seq Scan on team_spend/.test(text),
      },
    };
    line({ case: "check", ...checks, pass: Object.values(checks).every((c) => c.ok) });
  } finally {
    await deps.db.close();
    await fresh.close();
  }
}
