/**
 * Real databases for tests, never mocks. Each call gives a fresh, migrated database:
 * - with GATEHOUSE_TEST_DATABASE_URL (a real server): a new database cloned from a
 *   migrated template, dropped on close;
 * - otherwise: a new in-memory PGlite served over the wire protocol.
 * The vitest config runs every database test file once per available backend.
 */
import crypto from "node:crypto";
import pg from "pg";
import { createDatabase, type Database } from "../client.ts";
import { EMBEDDED_POOL_MAX, startEmbeddedPostgres } from "../embedded.ts";
import { applyMigrations, readMigrations } from "../migrate.ts";

/** A database of its own for a test file; `backend` (from Database) says which kind. */
export interface TestDatabase extends Database {
  url: string;
}

/**
 * The server of this vitest project (tooling/vitest sets GATEHOUSE_TEST_DATABASE_URL per
 * project; empty: PGlite). The only environment read of the test databases.
 */
function projectServerUrl(): string | undefined {
  return process.env.GATEHOUSE_TEST_DATABASE_URL || undefined;
}

export function testBackend(): "postgres" | "pglite" {
  return projectServerUrl() ? "postgres" : "pglite";
}

export interface TestDatabaseOptions {
  poolMax?: number;
  /** Apply the migrations (default true); false gives an empty database. */
  migrate?: boolean;
  /**
   * The server to create the database on; null: an in-memory PGlite. Default: the vitest
   * project's backend. Programs (benchmarks, the browser tests' server) pass their own.
   */
  serverUrl?: string | null;
}

export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const serverUrl =
    options.serverUrl === undefined ? projectServerUrl() : (options.serverUrl ?? undefined);
  const migrate = options.migrate ?? true;
  if (!serverUrl) {
    const embedded = await startEmbeddedPostgres({ maxConnections: 64 });
    const db = createDatabase({
      url: embedded.url,
      poolMax: EMBEDDED_POOL_MAX,
      namedStatements: false,
      embedded: true,
    });
    if (migrate) await applyMigrations(db.pool);
    return {
      ...db,
      url: embedded.url,
      async close() {
        await db.close();
        await embedded.stop();
      },
    };
  }

  const name = `gh_test_${crypto.randomBytes(6).toString("hex")}`;
  // Another checkout with other migrations on the same server drops our template when it
  // builds its own (stale templates are cleaned up); rebuild it and try again.
  for (let attempt = 1; ; attempt++) {
    const template = migrate ? await ensureTemplate(serverUrl) : "template0";
    try {
      await withAdmin(serverUrl, (admin) =>
        admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`),
      );
      break;
    } catch (error) {
      const templateGone = (error as { code?: string }).code === "3D000";
      if (!templateGone || attempt >= 3) throw error;
    }
  }
  const url = withDatabase(serverUrl, name);
  const db = createDatabase({ url, poolMax: options.poolMax ?? 10 });
  return {
    ...db,
    url,
    async close() {
      await db.close();
      await withAdmin(serverUrl, (admin) =>
        admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      );
    },
  };
}

/** A migrated template per migration set, built once and shared by every test process. */
async function ensureTemplate(serverUrl: string): Promise<string> {
  const migrations = readMigrations();
  const digest = crypto
    .createHash("sha256")
    .update(migrations.map((m) => m.checksum).join(""))
    .digest("hex")
    .slice(0, 12);
  const template = `gh_template_${digest}`;
  await withAdmin(serverUrl, async (admin) => {
    // Serialize template creation across parallel test workers.
    await admin.query("SELECT pg_advisory_lock(hashtext($1))", [template]);
    try {
      const found = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [template]);
      if (found.rowCount) return;
      const building = `${template}_building`;
      await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE "${building}"`);
      const pool = new pg.Pool({ connectionString: withDatabase(serverUrl, building), max: 1 });
      try {
        await applyMigrations(pool, migrations);
      } finally {
        await pool.end();
      }
      await admin.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
      // Templates of older migration sets are never used again.
      const stale = await admin.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE 'gh_template_%' AND datname <> $1 AND datname NOT LIKE '%_building'`,
        [template],
      );
      for (const { datname } of stale.rows) {
        await admin.query(`DROP DATABASE IF EXISTS "${datname}"`).catch(() => {});
      }
    } finally {
      await admin.query("SELECT pg_advisory_unlock(hashtext($1))", [template]);
    }
  });
  return template;
}

async function withAdmin<T>(serverUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
