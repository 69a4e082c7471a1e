/**
 * Applies the Prisma migrations in prisma/migrations at start-up and in tests.
 *
 * Prisma's own `migrate deploy` works offline too (see prisma.config.ts) but spawns a CLI
 * that takes seconds; this runner applies the same files and records them in Prisma's
 * `_prisma_migrations` table with Prisma's checksum (SHA-256 of migration.sql), so
 * `prisma migrate status` and `deploy` agree with it afterwards. An advisory lock makes
 * concurrent starts (several API instances) apply each migration once.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type pg from "pg";
import type { Database } from "./client.ts";

export const migrationsDir = path.join(import.meta.dirname, "..", "prisma", "migrations");

/** Arbitrary constant: "gatehouse migrations" advisory lock. */
const MIGRATION_LOCK_ID = 7_361_044_982;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir: string = migrationsDir): Migration[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: crypto.createHash("sha256").update(sql).digest("hex") };
    });
}

const CREATE_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationState {
  applied: string[];
  pending: string[];
  /** Applied migrations whose file changed since: the database and the code disagree. */
  modified: string[];
  /** Migrations that started and never finished (a failed deploy). */
  failed: string[];
}

/** Anything that runs a query: a pool, or one checked-out client inside a lock. */
type Queryable = Pick<pg.Pool, "query"> | pg.PoolClient;

/** The migration state of an open database (health and readiness checks). */
export function databaseMigrationState(db: Pick<Database, "pool">): Promise<MigrationState> {
  return migrationState(db.pool);
}

export async function migrationState(
  db: Queryable,
  migrations: Migration[] = readMigrations(),
): Promise<MigrationState> {
  const exists = await db.query<{ exists: boolean }>(
    `SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS exists`,
  );
  const rows = exists.rows[0]?.exists
    ? (
        await db.query<{ migration_name: string; checksum: string; finished: boolean }>(
          `SELECT migration_name, checksum, finished_at IS NOT NULL AS finished
             FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
        )
      ).rows
    : [];
  const byName = new Map(rows.map((row) => [row.migration_name, row]));
  const state: MigrationState = { applied: [], pending: [], modified: [], failed: [] };
  for (const migration of migrations) {
    const row = byName.get(migration.name);
    if (!row) state.pending.push(migration.name);
    else if (!row.finished) state.failed.push(migration.name);
    else {
      state.applied.push(migration.name);
      if (row.checksum !== migration.checksum) state.modified.push(migration.name);
    }
  }
  return state;
}

/** Applies pending migrations, each in its own transaction. Returns the names applied. */
export async function applyMigrations(
  pool: pg.Pool,
  migrations: Migration[] = readMigrations(),
): Promise<string[]> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
    await client.query(CREATE_TABLE);
    const state = await migrationState(client, migrations);
    if (state.failed.length > 0) {
      throw new Error(`migration ${state.failed[0]} failed earlier; resolve it before starting`);
    }
    const applied: string[] = [];
    for (const migration of migrations.filter((m) => state.pending.includes(m.name))) {
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations"
             (id, checksum, migration_name, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), 1)`,
          [crypto.randomUUID(), migration.checksum, migration.name],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${migration.name} failed: ${(error as Error).message}`, {
          cause: error,
        });
      }
      applied.push(migration.name);
    }
    return applied;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]).catch(() => {});
    client.release();
  }
}
