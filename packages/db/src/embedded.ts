/**
 * Embedded PostgreSQL for a newcomer without a server: PGlite persisted in a folder and
 * served over the PostgreSQL wire protocol, so the ordinary `pg` driver, Prisma's adapter,
 * the migration runner and `psql` all talk to it exactly as to a real server.
 *
 * PGlite is single-connection inside: the socket server queues statements and, while one
 * connection is inside a transaction, runs only that connection's statements. Transactions
 * therefore never interleave here (they do on a real server).
 */
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { DatabaseConfigError } from "./errors.ts";

/**
 * Connections each process should pool against the embedded server. PGlite runs one
 * statement at a time, and its socket server keeps a connection's messages together only
 * inside explicit transactions: the Parse/Bind/Execute/Sync messages of two connections'
 * plain queries can interleave, so one connection's Bind meets the other's statement
 * ("bind message supplies 7 parameters, but prepared statement requires 3"). With one
 * connection per process, messages cannot interleave within Gatehouse; concurrency costs
 * nothing here, since PGlite would have serialized the statements anyway.
 */
export const EMBEDDED_POOL_MAX = 1;

export interface EmbeddedPostgresOptions {
  /** Folder holding the data; omit for an in-memory database (tests). */
  dataDir?: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  maxConnections?: number;
}

export interface EmbeddedPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgres> {
  const host = options.host ?? "127.0.0.1";
  if (options.dataDir) ensureWritableDir(options.dataDir);

  const db = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    extensions: { pg_trgm },
  });
  const server = new PGLiteSocketServer({
    db,
    host,
    port: options.port ?? 0,
    maxConnections: options.maxConnections ?? 32,
  });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      throw new DatabaseConfigError(
        `embedded PostgreSQL: port ${options.port} on ${host} is in use; set GATEHOUSE_PGLITE_PORT to a free port`,
      );
    }
    throw error;
  }
  const port = Number(server.getServerConn().split(":").at(-1));
  return {
    port,
    // PGlite has one database and one superuser; the names in the URL are not checked.
    url: `postgresql://postgres:postgres@${host}:${port}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

function ensureWritableDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
    const probe = path.join(dir, ".write-probe");
    fs.writeFileSync(probe, "");
    fs.rmSync(probe);
  } catch (error) {
    throw new DatabaseConfigError(
      `embedded PostgreSQL: data folder ${dir} is not writable (${(error as Error).message}); set GATEHOUSE_DATA_DIR`,
    );
  }
}
