// Prisma CLI configuration for this offline toolchain: the WASM schema engine ("js")
// through the pg driver adapter, so no native engine download is ever attempted.
// See README "Prisma offline".
import crypto from "node:crypto";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { defineConfig } from "prisma/config";

// The CLI still checks that engine files exist, though it never runs them in this mode.
process.env.PRISMA_QUERY_ENGINE_LIBRARY ??= path.join(import.meta.dirname, "package.json");
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(import.meta.dirname, "package.json");
process.env.CHECKPOINT_DISABLE ??= "1";
// Validation needs a syntactically valid URL even for `generate`.
process.env.DATABASE_URL ??= "postgresql://placeholder@localhost:5432/placeholder";

// ---------------------------------------------------------------------------------------
// The adapter below works around three problems of @prisma/adapter-pg 7.10 as the schema
// engine's driver (each one is explained where it is fixed):
// 1. `migrate deploy` failed on any migration with a $$-quoted function body (ours has
//    one: the audit trigger), because scripts were split on ";".
// 2. Introspection (`migrate diff` against migrations, which test/drift.test.ts runs)
//    failed on PostgreSQL's one-byte `"char"` catalog columns.
// 3. The shadow database was the main database (pool options), and dropping the real one
//    failed while the adapter still held a connection to it.
// ---------------------------------------------------------------------------------------

const CHAR_OID = 18;
const TEXT_OID = 25;
/** ColumnTypeEnum.Character in @prisma/driver-adapter-utils 7.10. */
const COLUMN_TYPE_CHARACTER = 6;

type Adapter = Awaited<ReturnType<PrismaPg["connect"]>>;
type Queryable = Pick<Adapter, "queryRaw">;
type RawResult = { fields: pg.FieldDef[]; rows: unknown[][] };
/** adapter-pg's private PgQueryable.performIO: one pg query, before column mapping. */
type PerformIO = (query: unknown) => Promise<RawResult>;

/**
 * (2) The engine selects pg_constraint.contype and friends and expects a Rust `char`;
 * adapter-pg has no mapping for OID 18 ("Column type 'char' could not be deserialized"),
 * and reporting it as text makes the engine panic on a CHECK constraint row. So those
 * columns are reported as driver-adapter `Character` columns.
 */
function readCharColumns<T extends Queryable>(queryable: T): T {
  const queryRaw = queryable.queryRaw;
  const performIO = (queryable as unknown as { performIO?: PerformIO }).performIO;
  if (typeof performIO !== "function") {
    throw new Error("prisma.config.ts: @prisma/adapter-pg internals changed (performIO)");
  }
  queryable.queryRaw = async function (query) {
    // Per call, so concurrent queries cannot see each other's columns.
    const charColumns: number[] = [];
    const view = Object.create(queryable, {
      performIO: {
        value: async (raw: unknown) => {
          const result = await performIO.call(queryable, raw);
          result.fields.forEach((field, index) => {
            if (field.dataTypeID !== CHAR_OID) return;
            charColumns.push(index);
            field.dataTypeID = TEXT_OID; // pg returned the one-letter string already
          });
          return result;
        },
      },
    }) as T;
    const resultSet = await queryRaw.call(view, query);
    for (const index of charColumns) resultSet.columnTypes[index] = COLUMN_TYPE_CHARACTER;
    return resultSet;
  };
  return queryable;
}

class SchemaEnginePg extends PrismaPg {
  constructor(private readonly poolOptions: pg.PoolConfig) {
    super(poolOptions);
  }

  override async connect(): Promise<Adapter> {
    return forSchemaEngine(await super.connect());
  }

  /**
   * (3) Replaces adapter-pg's own, which drops the shadow database before closing its
   * pool ("is being accessed by other users"): the command failed after a successful diff
   * and left the database behind. On PGlite (one database per server) the "shadow" is the
   * main database, so the drift test gives the CLI an empty one.
   */
  override async connectToShadowDb(): Promise<Adapter> {
    const main = await this.connect();
    const database = `prisma_migrate_shadow_db_${crypto.randomUUID()}`;
    await main.executeScript(`CREATE DATABASE "${database}"`);
    const shadow = await new SchemaEnginePg({ ...this.poolOptions, database }).connect();
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      try {
        await dispose();
        await main.executeScript(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      } finally {
        await main.dispose();
      }
    };
    return shadow;
  }
}

function forSchemaEngine(adapter: Adapter): Adapter {
  readCharColumns(adapter);
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) =>
    readCharColumns(await startTransaction(isolationLevel));
  // (1) adapter-pg splits a migration script on ";", which cuts the body of a $$-quoted
  // function ("unterminated dollar-quoted string"). Sent whole and without parameters, it
  // goes through PostgreSQL's simple query protocol, which parses multi-statement scripts
  // itself and runs them in one implicit transaction (all or nothing).
  adapter.executeScript = async (script) => {
    await adapter.executeRaw({ sql: script, args: [], argTypes: [] });
  };
  return adapter;
}

/**
 * (3) Pool options as separate fields, not a `connectionString`: the shadow database's pool
 * is `{ ...options, database: <shadow> }`, and in pg a connection string wins over
 * `database`, which made the main database serve as the shadow (migrations were replayed
 * into it). Empty parts stay undefined so pg falls back to PGUSER, PGPASSWORD, .pgpass.
 */
function poolConfig(url: string): pg.PoolConfig {
  const parsed = new URL(url);
  const param = (name: string) => parsed.searchParams.get(name) ?? undefined;
  const part = (value: string) => (value ? decodeURIComponent(value) : undefined);
  const sslmode = param("sslmode");
  return {
    // libpq's query parameters (`?host=/var/run/postgresql&user=...`) win, as in libpq.
    host: param("host") ?? part(parsed.hostname),
    port: Number(param("port") ?? (parsed.port || 5432)),
    user: param("user") ?? part(parsed.username),
    password: param("password") ?? part(parsed.password),
    database: param("dbname") ?? part(parsed.pathname.slice(1)),
    ...(sslmode && !["disable", "allow", "prefer"].includes(sslmode)
      ? { ssl: { rejectUnauthorized: sslmode === "verify-ca" || sslmode === "verify-full" } }
      : {}),
    // `migrate status` and friends exit as soon as they are done.
    allowExitOnIdle: true,
  };
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(import.meta.dirname, "prisma/schema.prisma"),
  migrations: { path: path.join(import.meta.dirname, "prisma/migrations") },
  adapter: async () => new SchemaEnginePg(poolConfig(process.env.DATABASE_URL ?? "")),
});
