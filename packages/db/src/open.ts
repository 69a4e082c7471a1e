/**
 * Opens Gatehouse's database the way every entry point does (API, worker, CLI): a
 * PostgreSQL server when given its URL, else the embedded PGlite under a data folder.
 * Migrations are applied before anything uses it. Problems an operator can fix become
 * one-line DatabaseConfigErrors. Settings arrive as parameters: the programs read their
 * environment in their own configuration modules (apps/api/src/config.ts, src/cli/config.ts).
 */
import fs from "node:fs";
import path from "node:path";
import { createDatabase, type Database } from "./client.ts";
import { EMBEDDED_POOL_MAX, startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded.ts";
import { DatabaseConfigError } from "./errors.ts";
import { applyMigrations } from "./migrate.ts";

export const repoRoot = path.resolve(import.meta.dirname, "../../..");

export interface OpenedDatabase extends Database {
  url: string;
  /** Present when running on the embedded PGlite. */
  embedded?: EmbeddedPostgres;
  /** Migrations applied by this open call. */
  appliedMigrations: string[];
}

export interface OpenOptions {
  /** A PostgreSQL server (DATABASE_URL); unset or empty: the embedded PGlite. */
  url?: string | undefined;
  /** Folder of the embedded database (GATEHOUSE_DATA_DIR; default `.data` at the repository root). */
  dataDir?: string | undefined;
  /** Connections against a server (default 10); the embedded database always gets one. */
  poolMax?: number;
  /** Wire-protocol port of the embedded database (default 54329). */
  pglitePort?: number;
  applicationName?: string;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
}

/** Where the embedded PGlite keeps its files, given GATEHOUSE_DATA_DIR (or not). */
export function embeddedDataDir(dataDir?: string): string {
  return path.resolve(dataDir || path.join(repoRoot, ".data"), "pglite");
}

export async function openDatabase(options: OpenOptions = {}): Promise<OpenedDatabase> {
  const serverUrl = options.url || undefined;
  const dataDir = embeddedDataDir(options.dataDir);
  let embedded: EmbeddedPostgres | undefined;
  let url = serverUrl;
  if (!url) {
    const port = options.pglitePort ?? 54329;
    // PGlite's files must have one owner. When a running Gatehouse already serves them,
    // connect to it over the wire (e.g. `create-admin` while the app runs).
    const owner = await acquireLock(dataDir);
    if (owner) {
      url = `postgresql://postgres:postgres@127.0.0.1:${owner.port}/postgres?sslmode=disable`;
    } else {
      try {
        embedded = await startEmbeddedPostgres({ dataDir, port });
      } catch (error) {
        removeLock(dataDir);
        throw error;
      }
      writeLock(dataDir, embedded.port);
      url = embedded.url;
    }
  }
  // See EMBEDDED_POOL_MAX: more than one connection to PGlite is not safe.
  const db = createDatabase({
    url,
    poolMax: serverUrl ? (options.poolMax ?? 10) : EMBEDDED_POOL_MAX,
    embedded: !serverUrl,
    ...(options.applicationName ? { applicationName: options.applicationName } : {}),
  });
  try {
    await db.pool.query("SELECT 1");
  } catch (error) {
    await db.close().catch(() => {});
    if (embedded) {
      await embedded.stop();
      removeLock(dataDir);
    }
    throw new DatabaseConfigError(
      `cannot reach the database at ${redactUrl(url)}: ${(error as Error).message || String(error)}`,
    );
  }
  const appliedMigrations = options.migrate === false ? [] : await applyMigrations(db.pool);
  return {
    ...db,
    url,
    ...(embedded ? { embedded } : {}),
    appliedMigrations,
    async close() {
      await db.close();
      if (embedded) {
        await embedded.stop();
        removeLock(dataDir);
      }
    },
  };
}

/** Drops the password from a connection string before it is printed or logged. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "<unparseable DATABASE_URL>";
  }
}

interface LockInfo {
  pid: number;
  /** 0 while the owner is still starting its server. */
  port: number;
}

const lockPath = (dataDir: string) => path.join(dataDir, "..", "pglite.lock");

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes the data folder's lock atomically (exclusive create), or returns the live owner
 * to connect to instead. A lock left by a dead process is removed and taken over.
 */
async function acquireLock(dataDir: string): Promise<LockInfo | null> {
  fs.mkdirSync(path.dirname(lockPath(dataDir)), { recursive: true });
  // A first start (initdb + migrations) can take a while on a busy machine.
  for (let attempt = 0; attempt < 600; attempt++) {
    try {
      fs.writeFileSync(lockPath(dataDir), JSON.stringify({ pid: process.pid, port: 0 }), {
        flag: "wx",
      });
      return null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    let info: LockInfo | null = null;
    try {
      info = JSON.parse(fs.readFileSync(lockPath(dataDir), "utf8")) as LockInfo;
    } catch {
      // Being written right now: look again shortly.
    }
    if (info && info.pid !== process.pid && isAlive(info.pid)) {
      if (info.port > 0) return info;
    } else if (info) {
      fs.rmSync(lockPath(dataDir), { force: true });
      continue;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new DatabaseConfigError(
    `embedded PostgreSQL: ${lockPath(dataDir)} is held by a process that never finished starting; remove it if no Gatehouse is running`,
  );
}

function writeLock(dataDir: string, port: number): void {
  fs.writeFileSync(lockPath(dataDir), JSON.stringify({ pid: process.pid, port }));
}

function removeLock(dataDir: string): void {
  fs.rmSync(lockPath(dataDir), { force: true });
}
