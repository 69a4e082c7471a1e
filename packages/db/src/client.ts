/**
 * The one way the rest of Gatehouse opens the database: a `pg` pool shared by Prisma's
 * driver adapter and by the hand-written SQL of hot paths (team listing), so both use the
 * same connections and limits.
 */
import crypto from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/prisma/client.ts";

export interface DatabaseOptions {
  url: string;
  /** Pool size; must not exceed the embedded server's maxConnections. */
  poolMax?: number;
  /** Name shown in pg_stat_activity. */
  applicationName?: string;
  /**
   * How long a request may wait for a new connection before failing (the database is
   * down or unreachable). Default 10 s; tests of outages use a shorter one.
   */
  connectionTimeoutMs?: number;
  /**
   * How long one query may wait for the database's answer before it fails and its
   * connection is dropped. A server that goes silent without closing the connection (a
   * frozen host, a partition that sends no reset) would otherwise hold the request, and
   * the pooled connection, forever. Off by default: migrations and bulk loads run longer.
   */
  queryTimeoutMs?: number;
  /**
   * Name the hot paths' statements (team listing, session lookup) so each connection parses
   * and plans them once and reuses the plan (see `namedStatement`). Default: on once the
   * first connection shows a real PostgreSQL server; never on PGlite, whose socket server
   * runs every connection on one backend, where a name prepared by one connection already
   * exists for the next and Parse fails ("prepared statement ... already exists").
   */
  namedStatements?: boolean;
  /**
   * The URL is the embedded PGlite's socket server (one backend for every connection): no
   * connection of its own for LISTEN there (see sessions/auth-changes.ts). Default false.
   */
  embedded?: boolean;
}

export interface Database {
  prisma: PrismaClient;
  pool: pg.Pool;
  /** A PostgreSQL server, or the embedded PGlite (see DatabaseOptions.embedded). */
  backend: "postgres" | "pglite";
  close(): Promise<void>;
}

export function createDatabase(options: DatabaseOptions): Database {
  const pool = new pg.Pool({
    connectionString: options.url,
    types: poolTypes,
    max: options.poolMax ?? 10,
    application_name: options.applicationName ?? "gatehouse",
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
    ...(options.queryTimeoutMs ? { query_timeout: options.queryTimeoutMs } : {}),
  });
  // An idle client losing its connection (database restart) must not crash the process;
  // the pool drops it and the next query reconnects.
  pool.on("error", () => {});
  if (options.namedStatements !== false) namingPools.set(pool, "unknown");
  pool.on("connect", (client) => guardPooledClient(client));
  // Prisma's defaults (2 s to get a connection, 5 s per interactive transaction) turn a
  // busy moment or a legitimate lock wait (two admins changed at once, a merge holding a
  // team) into a 500. Wait as long as the pool would, and let transactions finish.
  const prisma = new PrismaClient({
    adapter: new PrismaPg(pool),
    transactionOptions: { maxWait: 10_000, timeout: 30_000 },
  });
  return {
    prisma,
    pool,
    backend: options.embedded ? "pglite" : "postgres",
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

const TIMESTAMPTZ_OID = 1184;
const defaultTimestamptz = pg.types.getTypeParser(TIMESTAMPTZ_OID, "text") as (
  text: string,
) => unknown;
/** PostgreSQL's ISO output of a timestamptz: date, time (up to microseconds), offset. */
const ISO_TIMESTAMPTZ = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d{1,6})?)([+-]\d\d)(?::(\d\d))?$/;

/**
 * A timestamptz as PostgreSQL writes it ("2026-11-28 12:34:56.789123+00") parsed by V8's own
 * ISO parser, about twice as fast as pg's general parser, which was 5 % of the API's CPU on a
 * page of teams (three dates a row). Anything else (BC dates, years past 9999, offsets with
 * seconds, infinity) goes to pg's parser. Same instant either way (milliseconds truncated).
 */
export function parseTimestamptz(text: string): unknown {
  const m = ISO_TIMESTAMPTZ.exec(text);
  return m ? new Date(`${m[1]}T${m[2]}${m[3]}:${m[4] ?? "00"}`) : defaultTimestamptz(text);
}

/** The pool's type parsers (Prisma's adapter sets its own per query, so only our SQL uses these). */
const poolTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary"): ((value: string) => unknown) =>
    oid === TIMESTAMPTZ_OID && format !== "binary"
      ? parseTimestamptz
      : (pg.types.getTypeParser(oid, format ?? "text") as (
          value: string,
        ) => unknown)) as typeof pg.types.getTypeParser,
};

/** Per pool: may it name statements? "unknown" until a probe of the server answers. */
const namingPools = new WeakMap<pg.Pool, "unknown" | "probing" | "on" | "off">();

function probeServer(pool: pg.Pool): void {
  namingPools.set(pool, "probing");
  pool.query<{ v: string }>("SELECT version() AS v").then(
    ({ rows }) => namingPools.set(pool, /PGlite/i.test(rows[0]?.v ?? "PGlite") ? "off" : "on"),
    () => namingPools.set(pool, "unknown"), // ask again next time
  );
}

/**
 * A query config that `pg` prepares once per connection under a name derived from its text,
 * then only binds and executes: PostgreSQL skips parsing, and plans a statement whose
 * parameters do not change the best plan only once (a generic plan). Only for texts from a
 * bounded set (shapes, never values inlined), since every connection keeps each name.
 * Unnamed on pools where names are off (embedded PGlite).
 */
export function namedStatement(pool: pg.Pool, text: string, values: unknown[]): pg.QueryConfig {
  const state = namingPools.get(pool);
  if (state === "unknown") probeServer(pool);
  // Unnamed until the probe has answered (as statements always may be).
  if (state !== "on") return { text, values };
  let name = statementNames.get(text);
  if (!name) {
    name = `gh_${crypto.createHash("sha1").update(text).digest("base64url").slice(0, 20)}`;
    // Bounded like the texts it maps (see above); a cap keeps a mistake from growing forever.
    if (statementNames.size < 10_000) statementNames.set(text, name);
  }
  return { name, text, values };
}

const statementNames = new Map<string, string>();

/** pg internals used below: the socket under a client (stable across pg 8). */
interface ClientInternals {
  connection?: { stream?: { destroy(): void } };
}

/**
 * Keeps a pooled connection from leaking when the database goes away under it.
 *
 * Prisma 6.19's transaction manager ends an interactive transaction by sending ROLLBACK
 * (or COMMIT) as a query and only then releasing the connection to the pool: when the
 * connection died mid-transaction (database restart, network cut), that query fails and
 * the connection is never released. Each interrupted transaction then holds a pool slot
 * forever, and after `poolMax` of them the process can never query again, even with the
 * database back. So:
 * - a client whose connection ends while it is checked out is released (with an error, so
 *   the pool discards it);
 * - releasing twice is a no-op instead of a throw (the owner may still release it later);
 * - a query that hits `queryTimeoutMs` destroys its connection: the server may still be
 *   running it, or gone silent, and nothing else may be sent on that connection.
 */
function guardPooledClient(client: pg.PoolClient): void {
  let release: (error?: Error | boolean) => void = () => {};
  let released = true;
  // pg-pool assigns `client.release` on every checkout: keep its function, hand out a guard.
  Object.defineProperty(client, "release", {
    configurable: true,
    get: () => (error?: Error | boolean) => {
      if (released) return;
      released = true;
      release(error);
    },
    set: (fn: (error?: Error | boolean) => void) => {
      release = fn;
      released = false;
    },
  });
  client.on("end", () => {
    if (!released) client.release(new Error("connection ended while checked out"));
  });

  const destroyIfTimedOut = (error: unknown): void => {
    if (error instanceof Error && error.message === "Query read timeout") {
      (client as ClientInternals).connection?.stream?.destroy();
    }
  };
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const guarded = (...args: unknown[]): unknown => {
    const last = args.at(-1);
    if (typeof last === "function") {
      const callback = last as (error: unknown, result: unknown) => void;
      return query(...args.slice(0, -1), (error: unknown, result: unknown) => {
        if (error) destroyIfTimedOut(error);
        callback(error, result);
      });
    }
    const result = query(...args);
    // A side branch: the caller still receives the rejection from `result` itself.
    if (result instanceof Promise) result.catch(destroyIfTimedOut);
    return result;
  };
  (client as unknown as { query: typeof guarded }).query = guarded;
}

export type { PrismaClient };
