/**
 * The callers of the teams-list benchmark, added to generated data idempotently: a
 * system admin, an org admin of three organizations who is also a member of teams in
 * other organizations, and a plain member. Each gets a long-lived session with a known
 * cookie token.
 */
import crypto from "node:crypto";
import type pg from "pg";

export interface Persona {
  name: "admin" | "orgAdmin" | "member";
  userId: string;
  token: string;
}

const hash = (token: string) => crypto.createHash("sha256").update(token).digest("hex");

async function sessionFor(pool: pg.Pool, userId: string, name: string): Promise<string> {
  const token = `ghs_bench_${name}_${crypto.randomBytes(16).toString("base64url")}`;
  await pool.query(
    `INSERT INTO sessions (token_hash, user_id, idle_expires_at, absolute_expires_at)
     VALUES ($1, $2::uuid, now() + interval '1 day', now() + interval '1 day')`,
    [hash(token), userId],
  );
  return token;
}

async function ensureUser(pool: pg.Pool, email: string, isSystemAdmin: boolean): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO users (email, name, password_hash, is_system_admin) VALUES ($1, $1, 'bench', $2)
     ON CONFLICT (email) DO UPDATE SET is_system_admin = EXCLUDED.is_system_admin RETURNING id::text`,
    [email, isSystemAdmin],
  );
  return rows[0]!.id;
}

export async function preparePersonas(pool: pg.Pool): Promise<Persona[]> {
  const admin = await ensureUser(pool, "bench-admin@bench.example", true);
  const orgAdmin = await ensureUser(pool, "bench-orgadmin3@bench.example", false);
  // Three organizations to administer, and two teams elsewhere to be a plain member of.
  const orgs = (
    await pool.query<{ id: string }>(`SELECT id::text FROM organizations ORDER BY id LIMIT 3`)
  ).rows;
  for (const org of orgs) {
    await pool.query(
      `INSERT INTO organization_members (organization_id, user_id, role) VALUES ($1::uuid, $2::uuid, 'ORG_ADMIN')
       ON CONFLICT (organization_id, user_id) DO UPDATE SET role = 'ORG_ADMIN'`,
      [org.id, orgAdmin],
    );
  }
  const elsewhere = (
    await pool.query<{ id: string }>(
      `SELECT id::text FROM teams WHERE organization_id <> ALL($1::uuid[]) ORDER BY created_at DESC LIMIT 2`,
      [orgs.map((o) => o.id)],
    )
  ).rows;
  for (const team of elsewhere) {
    await pool.query(
      `INSERT INTO team_members (team_id, user_id, role) VALUES ($1::uuid, $2::uuid, 'MEMBER') ON CONFLICT DO NOTHING`,
      [team.id, orgAdmin],
    );
  }
  // A generated regular user with several teams and no organization role.
  const member = (
    await pool.query<{ user_id: string }>(
      `SELECT tm.user_id::text FROM team_members tm
        WHERE NOT EXISTS (SELECT 1 FROM organization_members om WHERE om.user_id = tm.user_id AND om.role = 'ORG_ADMIN')
        GROUP BY tm.user_id HAVING count(*) >= 3 LIMIT 1`,
    )
  ).rows[0]!.user_id;
  return [
    { name: "admin", userId: admin, token: await sessionFor(pool, admin, "admin") },
    { name: "orgAdmin", userId: orgAdmin, token: await sessionFor(pool, orgAdmin, "orgadmin") },
    { name: "member", userId: member, token: await sessionFor(pool, member, "member") },
  ];
}

/**
 * LiteLLM keeps a team's members as a JSON column (`members_with_roles`) on the team row;
 * its /v2/team/list counts them by loading that column. Built once from our tables.
 */
export async function prepareLiteLLMTable(pool: pg.Pool): Promise<void> {
  const exists = await pool.query(`SELECT to_regclass('bench_litellm_teams') IS NOT NULL AS e`);
  if ((exists.rows[0] as { e: boolean }).e) return;
  await pool.query(`
    CREATE TABLE bench_litellm_teams AS
    SELECT t.id AS team_id, t.name AS team_alias, t.organization_id, t.created_at,
           COALESCE(m.members, '[]'::jsonb) AS members_with_roles,
           '{}'::jsonb AS metadata, 0::float8 AS spend, NULL::float8 AS max_budget,
           ARRAY[]::text[] AS models, false AS blocked
      FROM teams t
      LEFT JOIN (SELECT team_id, jsonb_agg(jsonb_build_object('user_id', user_id, 'role', lower(role::text))) AS members
                   FROM team_members GROUP BY team_id) m ON m.team_id = t.id`);
  // The indexes LiteLLM itself added to its team table (team id, organization, alias).
  await pool.query(`ALTER TABLE bench_litellm_teams ADD PRIMARY KEY (team_id)`);
  await pool.query(`CREATE INDEX ON bench_litellm_teams (organization_id)`);
  await pool.query(`CREATE INDEX ON bench_litellm_teams (team_alias)`);
  await pool.query(`CREATE INDEX ON bench_litellm_teams (created_at)`);
  await pool.query(`ANALYZE bench_litellm_teams`);
}

/**
 * Freshly bulk-loaded tables have no visibility map, so "index-only" scans still read
 * every heap row. Autovacuum sets it on a live system; do it here so the benchmark measures
 * the steady state (for all three servers alike).
 */
export async function ensureVacuumed(pool: pg.Pool): Promise<boolean> {
  const { rows } = await pool.query<{ ratio: number }>(
    `SELECT relallvisible::float8 / greatest(relpages, 1) AS ratio FROM pg_class WHERE relname = 'teams'`,
  );
  if ((rows[0]?.ratio ?? 0) >= 0.9) return false;
  for (const table of [
    "teams",
    "team_members",
    "api_keys",
    "team_products",
    "bench_litellm_teams",
  ]) {
    await pool.query(`VACUUM (ANALYZE) ${table}`);
  }
  return true;
}
