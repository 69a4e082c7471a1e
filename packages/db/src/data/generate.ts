/**
 * Benchmark data at scale (100k to millions of teams), built by set-based SQL inside the
 * database: every table is one `INSERT ... SELECT` over `generate_series`, rows of
 * different tables meet through a numbered column of temporary tables (hash joins, never a
 * per-row subquery), and the indexes and foreign keys are dropped first and rebuilt once
 * after the load, which is several times faster than maintaining them row by row.
 *
 * Deterministic: ids, names, roles and dates are arithmetic functions of the row number and
 * of `now`, never random(), so two runs with the same options produce the same database
 * and benchmarks stay comparable. Ids are valid version-4 UUIDs (zod's `uuid()` accepts
 * them) whose leading bytes are scattered like random ones, so index shapes are realistic.
 *
 * Everything but the final ANALYZE happens in one transaction, index and foreign key
 * rebuilds included: a failure leaves the database as it was, never without its indexes.
 */
import type pg from "pg";

export interface GenerateDataOptions {
  /** Number of teams; every other table is sized in proportion. */
  teams: number;
  /** One precomputed hash shared by every user, so generation never hashes per row. */
  passwordHash: string;
  /** Reference time: creation dates spread over the 3 years before it. Default: now. */
  now?: Date;
  /**
   * What to do when the database already has teams or users: refuse (default) or empty
   * every Gatehouse table first (`--force`).
   */
  replace?: boolean;
  /** The one region keys are created in (benchmark data; not a real proxy by default). */
  region?: { name: string; baseUrl: string; masterKey: string };
  /** Called after each step, e.g. to print progress. */
  onStep?: (step: string, ms: number) => void;
  /** Statistics afterwards: ANALYZE (default), VACUUM ANALYZE (sets the visibility map
   * too, so index-only scans work from the first query), or nothing. */
  finish?: "analyze" | "vacuum-analyze" | "none";
}

/** Tables with auth-change triggers (migration 20261129030000_auth_change_notify). */
const AUTH_TRIGGER_TABLES = ["sessions", "users", "organization_members"];

/** Tables the generator fills, in insertion order. */
const generatedTables = [
  "regions",
  "products",
  "organizations",
  "users",
  "organization_members",
  "teams",
  "team_members",
  "team_products",
  "api_keys",
  "audit_events",
  "sessions",
] as const;
type GeneratedTable = (typeof generatedTables)[number];

export interface GenerateDataResult {
  rows: Record<GeneratedTable, number>;
  /** Milliseconds per step, in order. */
  timings: Record<string, number>;
  totalMs: number;
  /** Accounts to log in with (all share the caller's password hash). */
  logins: {
    systemAdmin: string;
    /** Administers organization 0; member of some of its teams. */
    orgAdmin: string;
    /** No organization role; admin of some teams, member of others. */
    regularUser: string;
  };
}

export class DatabaseNotEmptyError extends Error {
  override readonly name = "DatabaseNotEmptyError";
}

const BENCH_EMAIL_DOMAIN = "bench.example";
const DAY_MS = 86_400_000;
const SPAN_MS = 3 * 365 * DAY_MS;

interface GeneratedSizes {
  organizations: number;
  users: number;
  /** Users per organization; each team's members are drawn from its organization's. */
  usersPerOrg: number;
}

/** Sizes derived from the team count (see the comment above each insert). */
function generatedSizes(teams: number): GeneratedSizes {
  if (!Number.isInteger(teams) || teams < 1)
    throw new RangeError("teams must be a positive integer");
  const organizations = Math.ceil(teams / 20);
  // Each team draws its 5 distinct members from its organization's users, so every
  // organization needs at least 5 of them.
  const users = Math.max(Math.ceil(teams / 2), 5 * organizations);
  return { organizations, users, usersPerOrg: Math.floor(users / organizations) };
}

/**
 * SQL for a deterministic version-4 UUID for row number `n` of the id space `salt`:
 * bytes 0-5 scattered by multiplicative hashing (like random ids, for index shapes),
 * the version nibble, then the variant bits followed by salt and n, which keeps it unique.
 * About three times cheaper than md5() per row, which matters at millions of rows.
 */
function uuidSql(n: string, salt: number): string {
  const v = `(${n})::bigint`;
  return `encode(
    int4send(((${v} * 2654435761 + ${salt * 7919}) % 4294967296 - 2147483648)::int4)
    || int4send(((((${v} * 40503 + ${salt}) % 65536) * 65536) + 16384 + ${v} % 4096 - 2147483648)::int4)
    || int8send(((${salt}::bigint << 48) | ${v}) | (-9223372036854775807 - 1)),
    'hex')::uuid`;
}

/** A deterministic value in [0, 1) for row n (Knuth's multiplicative hash). */
function fractionSql(n: string, salt: number): string {
  return `((((${n})::bigint * 2654435761 + ${salt * 104_729}) % 4294967296)::float8 / 4294967296)`;
}

function sqlArray(values: readonly string[]): string {
  return `(ARRAY[${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(",")}])`;
}

const ADJECTIVES = sqlArray([
  "Amber",
  "Arctic",
  "Bold",
  "Brave",
  "Bright",
  "Calm",
  "Clever",
  "Cobalt",
  "Crimson",
  "Crystal",
  "Daring",
  "Eager",
  "Electric",
  "Emerald",
  "Fierce",
  "Gentle",
  "Golden",
  "Grand",
  "Happy",
  "Hidden",
  "Indigo",
  "Iron",
  "Jade",
  "Keen",
  "Lucky",
  "Lunar",
  "Mighty",
  "Misty",
  "Noble",
  "Onyx",
  "Polar",
  "Quiet",
  "Rapid",
  "Royal",
  "Ruby",
  "Silent",
  "Silver",
  "Solar",
  "Swift",
  "Velvet",
]);
const NOUNS = sqlArray([
  "Badgers",
  "Bears",
  "Comets",
  "Condors",
  "Dolphins",
  "Dragons",
  "Eagles",
  "Falcons",
  "Foxes",
  "Geckos",
  "Hawks",
  "Herons",
  "Jaguars",
  "Koalas",
  "Lynxes",
  "Mantis",
  "Narwhals",
  "Orcas",
  "Otters",
  "Owls",
  "Pandas",
  "Panthers",
  "Pelicans",
  "Penguins",
  "Pumas",
  "Ravens",
  "Rhinos",
  "Salmon",
  "Sharks",
  "Sparrows",
  "Squids",
  "Tigers",
  "Turtles",
  "Vipers",
  "Walruses",
  "Wolves",
  "Wombats",
  "Yaks",
  "Zebras",
  "Zephyrs",
]);
const COMPANIES = sqlArray([
  "Acme",
  "Globex",
  "Initech",
  "Umbrella",
  "Hooli",
  "Stark",
  "Wayne",
  "Wonka",
  "Tyrell",
  "Cyberdyne",
  "Soylent",
  "Aperture",
  "Vandelay",
  "Massive",
  "Pied Piper",
  "Oscorp",
  "Nakatomi",
  "Gringotts",
  "Monarch",
  "Dunder",
]);
const COMPANY_SUFFIXES = sqlArray([
  "Labs",
  "Systems",
  "Group",
  "Research",
  "Industries",
  "Digital",
  "Analytics",
  "Health",
]);
const FIRST_NAMES = sqlArray([
  "Ada",
  "Alan",
  "Barbara",
  "Brian",
  "Claude",
  "Dennis",
  "Edsger",
  "Frances",
  "Grace",
  "Guido",
  "Hedy",
  "Ivan",
  "John",
  "Ken",
  "Linus",
  "Margaret",
  "Niklaus",
  "Radia",
  "Shafi",
  "Tim",
]);
const LAST_NAMES = sqlArray([
  "Allen",
  "Backus",
  "Cerf",
  "Dijkstra",
  "Engelbart",
  "Floyd",
  "Goldberg",
  "Hopper",
  "Iverson",
  "Johnson",
  "Kay",
  "Lamport",
  "Liskov",
  "McCarthy",
  "Naur",
  "Perlman",
  "Ritchie",
  "Sammet",
  "Thompson",
  "Wirth",
]);
const KEY_NAMES = sqlArray([
  "production",
  "staging",
  "ci",
  "development",
  "analytics",
  "batch-jobs",
]);

export async function generateData(
  pool: pg.Pool,
  options: GenerateDataOptions,
): Promise<GenerateDataResult> {
  const { organizations: O, users: U, usersPerOrg } = generatedSizes(options.teams);
  const T = options.teams;
  const now = options.now ?? new Date();
  const start = new Date(now.getTime() - SPAN_MS);
  const region = options.region ?? {
    name: "Bench Region",
    baseUrl: "http://127.0.0.1:4000",
    masterKey: "sk-bench-not-a-real-master-key",
  };
  const timings: Record<string, number> = {};
  const rows = Object.fromEntries(generatedTables.map((t) => [t, 0])) as Record<
    GeneratedTable,
    number
  >;
  const started = performance.now();

  const client = await pool.connect();
  const step = async <R>(name: string, fn: () => Promise<R>): Promise<R> => {
    const t0 = performance.now();
    const result = await fn();
    const ms = Math.round(performance.now() - t0);
    timings[name] = ms;
    options.onStep?.(name, ms);
    return result;
  };
  const insert = (table: GeneratedTable, sql: string, params: unknown[] = []) =>
    step(table, async () => {
      rows[table] = (await client.query(sql, params)).rowCount ?? 0;
    });

  try {
    // The staging temp tables (~100 MB at a million teams) stay in memory with enough
    // local buffers. Settable only before a session's first temp table, hence outside the
    // transaction and best effort (a reused pooled connection may have had one).
    await client.query("SET temp_buffers = '256MB'").catch(() => {});
    await client.query("BEGIN");
    try {
      // The load is one transaction whose only durability point is COMMIT; waiting for the
      // WAL flush there buys nothing for throwaway benchmark data.
      await client.query("SET LOCAL synchronous_commit = off");
      // A server-wide timeout must not cut a multi-minute index build.
      await client.query("SET LOCAL statement_timeout = 0");
      await client.query("SET LOCAL work_mem = '256MB'");
      // Index builds and FK validation sort millions of rows: in memory, not on disk.
      await client.query("SET LOCAL maintenance_work_mem = '1GB'");

      await step("check", async () => {
        const found = await client.query<{ teams: boolean; users: boolean }>(
          `SELECT EXISTS (SELECT 1 FROM teams) AS teams, EXISTS (SELECT 1 FROM users) AS users`,
        );
        const existing = found.rows[0];
        if (existing?.teams || existing?.users) {
          if (!options.replace) {
            throw new DatabaseNotEmptyError(
              `the database already has ${existing.teams ? "teams" : "users"}; refusing to generate data into it (use --force to empty it first)`,
            );
          }
          // Every table but Prisma's migration log, read from the catalog so tables added
          // by later migrations are emptied too (and cannot block the truncation by FK).
          const { rows: tables } = await client.query<{ name: string }>(
            `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables
              WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations'`,
          );
          await client.query(`TRUNCATE ${tables.map((t) => t.name).join(", ")} RESTART IDENTITY`);
        }
      });

      const rebuild = await step("dropIndexes", () => dropIndexesAndKeys(client));
      // The auth-change triggers (sessions, users, org members) would queue one notification
      // per generated row; nobody holds a session of an empty database, so they stay quiet
      // for the load (the ALTERs are part of the transaction, undone by a rollback).
      await client.query(
        AUTH_TRIGGER_TABLES.map((t) => `ALTER TABLE ${t} DISABLE TRIGGER USER;`).join(""),
      );

      await insert(
        "regions",
        `INSERT INTO regions (id, name, litellm_base_url, litellm_master_key, created_at, updated_at)
         VALUES (${uuidSql("0", 1)}, $1, $2, $3, $4, $4)`,
        [region.name, region.baseUrl, region.masterKey, start],
      );

      await insert(
        "products",
        `INSERT INTO products (id, name, renewal_period_days, limits, created_at, updated_at)
         SELECT ${uuidSql("n", 2)}, p.name, p.days, p.limits::jsonb, $1, $1
           FROM (VALUES
             (0, 'Starter', 30, '{"maxKeys": 5, "maxBudgetUsd": 100, "budgetDuration": "1mo", "rpmLimit": 60, "tpmLimit": null, "models": []}'),
             (1, 'Team', 30, '{"maxKeys": 25, "maxBudgetUsd": 1000, "budgetDuration": "1mo", "rpmLimit": 600, "tpmLimit": null, "models": []}'),
             (2, 'Enterprise', 365, '{"maxKeys": 500, "maxBudgetUsd": 50000, "budgetDuration": "1mo", "rpmLimit": 10000, "tpmLimit": null, "models": []}')
           ) AS p(n, name, days, limits)`,
        [start],
      );

      // Organizations 0..O-1: one per 20 teams. Unique names (the number is part of it).
      await insert(
        "organizations",
        `INSERT INTO organizations (id, name, created_at, updated_at)
         SELECT ${uuidSql("n", 3)},
                ${COMPANIES}[1 + n % 20] || ' ' || ${COMPANY_SUFFIXES}[1 + (n / 20) % 8] || ' ' || n,
                $1::timestamptz + (n * $2::float8) * interval '1 millisecond',
                $1::timestamptz + (n * $2::float8) * interval '1 millisecond'
           FROM generate_series(0, $3::bigint - 1) AS n`,
        [start, SPAN_MS / 2 / O, O],
      );

      // Users 0..U-1 (two teams each on average, ten memberships each) plus one system
      // admin without memberships. User u belongs to organization u % O; the first two
      // users of each organization (u < 2*O) administer it.
      await step("stageUsers", () =>
        client.query(
          `CREATE TEMP TABLE gen_users ON COMMIT DROP AS
           SELECT n, ${uuidSql("n", 4)} AS id FROM generate_series(0, $1::bigint - 1) AS n`,
          [U],
        ),
      );
      await insert(
        "users",
        `INSERT INTO users (id, email, name, password_hash, is_system_admin, is_active,
                            last_login_at, created_at, updated_at)
         SELECT id, 'user' || n || '@${BENCH_EMAIL_DOMAIN}',
                ${FIRST_NAMES}[1 + n % 20] || ' ' || ${LAST_NAMES}[1 + (n / 20) % 20],
                $1, false, n % 100 <> 99,
                CASE WHEN n % 3 = 0 THEN NULL
                     ELSE $3::timestamptz - ${fractionSql("n", 5)} * interval '60 days' END,
                $2::timestamptz + (n * $4::float8) * interval '1 millisecond',
                $2::timestamptz + (n * $4::float8) * interval '1 millisecond'
           FROM gen_users
         UNION ALL
         SELECT ${uuidSql("0", 9)}, 'admin@${BENCH_EMAIL_DOMAIN}', 'Bench Admin', $1, true, true,
                NULL, $2::timestamptz, $2::timestamptz`,
        [options.passwordHash, start, now, SPAN_MS / U],
      );
      await insert(
        "organization_members",
        `INSERT INTO organization_members (organization_id, user_id, role, created_at)
         SELECT ${uuidSql("u.n % $1", 3)}, u.id,
                (CASE WHEN u.n < 2 * $1 THEN 'ORG_ADMIN' ELSE 'MEMBER' END)::"OrgRole",
                $2::timestamptz
           FROM gen_users u`,
        [O, start],
      );

      // Teams 0..T-1, created in order over 3 years (like production, where rows arrive in
      // created_at order) with jitter, so (created_at, id) ties are rare but possible.
      // Team t belongs to organization t % O, except 2% that have none.
      // Payment: 3% always free; 67% paid in the last 25 days; 15% paid long ago; 15%
      // never paid. With a quarter of the teams on an active product, about a fifth of all
      // teams are expired.
      await step("stageTeams", () =>
        client.query(
          `CREATE TEMP TABLE gen_teams ON COMMIT DROP AS
           SELECT n, ${uuidSql("n", 5)} AS id, n % $1 AS org_n, n % 50 = 17 AS no_org,
                  $2::timestamptz + ((n + ${fractionSql("n", 6)}) * $3::float8) * interval '1 millisecond'
                    AS created_at,
                  ((n * 40503 + 12345) % 100)::int AS pay
             FROM generate_series(0, $4::bigint - 1) AS n`,
          [O, start, SPAN_MS / T, T],
        ),
      );
      await insert(
        "teams",
        `INSERT INTO teams (id, name, organization_id, always_free, last_payment_at, created_at, updated_at)
         SELECT id,
                ${ADJECTIVES}[1 + n % 40] || ' ' || ${NOUNS}[1 + (n / 40) % 40] || ' ' || n,
                CASE WHEN no_org THEN NULL ELSE ${uuidSql("org_n", 3)} END,
                pay < 3,
                CASE WHEN pay < 3 OR pay >= 85 THEN NULL
                     WHEN pay < 70 THEN greatest(created_at,
                       $1::timestamptz - ${fractionSql("n", 7)} * interval '25 days')
                     ELSE created_at + ($1::timestamptz - created_at) * 0.3 END,
                created_at, created_at
           FROM gen_teams`,
        [now],
      );

      // Five distinct members per team from its organization's users: slots 0..4 take
      // consecutive positions (mod usersPerOrg >= 5) from a per-team starting point.
      await insert(
        "team_members",
        `INSERT INTO team_members (team_id, user_id, role, created_at)
         SELECT t.id, u.id,
                (${sqlArray(["ADMIN", "KEY_CREATOR", "MEMBER", "MEMBER", "READ_ONLY"])}[1 + j])::"TeamRole",
                t.created_at + j * interval '1 hour'
           FROM gen_teams t
          CROSS JOIN generate_series(0, 4) AS j
           JOIN gen_users u
             ON u.n = t.org_n + $1::bigint * (((t.n / $1::bigint) * 3 + j) % $2::bigint)`,
        [O, usersPerOrg],
      );

      // A quarter of the teams have an active product, one in twenty a cancelled one.
      await insert(
        "team_products",
        `INSERT INTO team_products (id, team_id, product_id, status, created_at, cancelled_at, period_start)
         SELECT ${uuidSql("t.n * 2 + c", 6)}, t.id, ${uuidSql("(t.n / 4 + c) % 3", 2)},
                (CASE WHEN c = 0 THEN 'ACTIVE' ELSE 'CANCELLED' END)::"TeamProductStatus",
                t.created_at + interval '1 day',
                CASE WHEN c = 1 THEN t.created_at + interval '40 days' END,
                -- core renewalPeriodStart: the later of the last payment and the attachment.
                greatest(t.created_at + interval '1 day', tt.last_payment_at)
           FROM gen_teams t
           JOIN teams tt ON tt.id = t.id
          CROSS JOIN generate_series(0, 1) AS c
          WHERE (c = 0 AND t.n % 4 = 0) OR (c = 1 AND t.n % 20 = 2)`,
      );

      // Two keys per team with distinct names (names repeat across teams, as merge
      // conflicts need), created by the team's admin and key creator.
      await insert(
        "api_keys",
        `INSERT INTO api_keys (id, name, team_id, creator_id, region_id, litellm_key_id, key_prefix,
                               created_at, updated_at)
         SELECT ${uuidSql("t.n * 2 + k", 7)}, ${KEY_NAMES}[1 + (t.n + k) % 6], t.id, u.id,
                ${uuidSql("0", 1)},
                encode(int8send(t.n * 2 + k) || int8send((t.n * 2 + k) * 2654435761), 'hex'),
                'sk-' || lpad(to_hex(((t.n * 2 + k) * 2654435761) % 16777216), 6, '0') || '…',
                t.created_at + (k + 1) * interval '1 day', t.created_at + (k + 1) * interval '1 day'
           FROM gen_teams t
          CROSS JOIN generate_series(0, 1) AS k
           JOIN gen_users u
             ON u.n = t.org_n + $1::bigint * (((t.n / $1::bigint) * 3 + k) % $2::bigint)`,
        [O, usersPerOrg],
      );

      // The audit trail has a "team.create" event per team.
      await insert(
        "audit_events",
        `INSERT INTO audit_events (id, actor_user_id, action, target_type, target_id, organization_id,
                                   details, request_id, created_at)
         SELECT ${uuidSql("n", 8)}, ${uuidSql("0", 9)}, 'team.create', 'team', id::text,
                CASE WHEN no_org THEN NULL ELSE ${uuidSql("org_n", 3)} END,
                jsonb_build_object('generated', true), 'bench-' || n, created_at
           FROM gen_teams`,
      );

      // One user in ten has a session; some expired, some revoked.
      await insert(
        "sessions",
        `INSERT INTO sessions (id, token_hash, user_id, created_at, last_seen_at, idle_expires_at,
                               absolute_expires_at, revoked_at)
         SELECT ${uuidSql("n", 10)}, encode(int8send(n) || int8send(n * 2654435761) || int8send(n * 40503), 'hex'),
                id, s.created_at, s.created_at, s.created_at + interval '30 minutes',
                s.created_at + interval '12 hours',
                CASE WHEN n % 70 = 0 THEN s.created_at + interval '5 minutes' END
           FROM gen_users
          CROSS JOIN LATERAL (SELECT $1::timestamptz - (n % 7) * interval '1 hour' AS created_at) s
          WHERE n % 10 = 0`,
        [now],
      );

      await step("indexes", () => rebuild.indexes());
      await step("foreignKeys", () => rebuild.foreignKeys());
      await client.query(
        AUTH_TRIGGER_TABLES.map((t) => `ALTER TABLE ${t} ENABLE TRIGGER USER;`).join(""),
      );
      await step("commit", () => client.query("COMMIT"));
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    }

    const finish = options.finish ?? "analyze";
    if (finish !== "none") {
      const tables = generatedTables.map((t) => `"${t}"`).join(", ");
      await step(finish, () =>
        client.query(
          finish === "vacuum-analyze" ? `VACUUM (ANALYZE) ${tables}` : `ANALYZE ${tables}`,
        ),
      );
    }
  } finally {
    client.release();
  }

  return {
    rows,
    timings,
    totalMs: Math.round(performance.now() - started),
    logins: {
      systemAdmin: `admin@${BENCH_EMAIL_DOMAIN}`,
      orgAdmin: `user0@${BENCH_EMAIL_DOMAIN}`,
      regularUser: `user${O * 3}@${BENCH_EMAIL_DOMAIN}`,
    },
  };
}

interface Rebuild {
  indexes(): Promise<void>;
  foreignKeys(): Promise<void>;
}

/**
 * Drops the secondary indexes, primary keys and foreign keys of the generated tables,
 * returning how to recreate them exactly as the migrations defined them (definitions are
 * read from the catalog, so a new migration's index is handled without touching this).
 */
async function dropIndexesAndKeys(client: pg.PoolClient): Promise<Rebuild> {
  const tables = [...generatedTables];
  const foreignKeys = await client.query<{ tbl: string; name: string; def: string }>(
    `SELECT c.conrelid::regclass::text AS tbl, c.conname AS name, pg_get_constraintdef(c.oid) AS def
       FROM pg_constraint c
      WHERE c.contype = 'f'
        AND (c.conrelid::regclass::text = ANY ($1) OR c.confrelid::regclass::text = ANY ($1))
      ORDER BY 1, 2`,
    [tables],
  );
  const primaryKeys = await client.query<{ tbl: string; name: string; def: string }>(
    `SELECT c.conrelid::regclass::text AS tbl, c.conname AS name, pg_get_constraintdef(c.oid) AS def
       FROM pg_constraint c
      WHERE c.contype = 'p' AND c.conrelid::regclass::text = ANY ($1)
      ORDER BY 1, 2`,
    [tables],
  );
  // Indexes that do not back a constraint (the unique ones here are plain unique indexes).
  const indexes = await client.query<{ name: string; def: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i
      WHERE i.indrelid::regclass::text = ANY ($1)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
      ORDER BY 1`,
    [tables],
  );
  for (const fk of foreignKeys.rows) {
    await client.query(`ALTER TABLE ${fk.tbl} DROP CONSTRAINT "${fk.name}"`);
  }
  for (const pk of primaryKeys.rows) {
    await client.query(`ALTER TABLE ${pk.tbl} DROP CONSTRAINT "${pk.name}"`);
  }
  for (const index of indexes.rows) await client.query(`DROP INDEX ${index.name}`);

  return {
    async indexes() {
      for (const pk of primaryKeys.rows) {
        await client.query(`ALTER TABLE ${pk.tbl} ADD CONSTRAINT "${pk.name}" ${pk.def}`);
      }
      for (const index of indexes.rows) await client.query(index.def);
    },
    async foreignKeys() {
      for (const fk of foreignKeys.rows) {
        await client.query(`ALTER TABLE ${fk.tbl} ADD CONSTRAINT "${fk.name}" ${fk.def}`);
      }
    },
  };
}
