/**
 * Hardening suites need a few knobs the shared harness does not expose: the pool size (one
 * connection on PGlite, see below), a database URL of their own choosing (through a fault
 * proxy), and a connection timeout short enough to test. Same parts as harness.ts
 * otherwise: the real HTTP server of src/server.ts on a fresh real database.
 */
import { createDatabase, type Database } from "@gatehouse/db";
import { createTestDatabase, testBackend, type TestDatabase } from "@gatehouse/db/testing";
import { ManualClock } from "../../../src/clock.ts";
import { loadConfig, type AppConfig } from "../../../src/config.ts";
import { createLogger, type Logger } from "../../../src/logger.ts";
import { startHttpServer, type RunningServer } from "../../../src/server.ts";

/**
 * PGlite's socket server interleaves the protocol messages of concurrent connections
 * (reported in test/security.test.ts "concurrent requests"); one pooled connection keeps
 * its statements whole. Suites here test other things, so they do not trip over it.
 */
export const pglitePoolMax = (): number | undefined => (testBackend() === "pglite" ? 1 : undefined);

export interface HardeningServer {
  /** The test database, reached directly (fixtures, assertions). */
  db: TestDatabase;
  /** The API's own connection pool (may go through a proxy). */
  apiDb: Database;
  clock: ManualClock;
  config: AppConfig;
  logger: Logger;
  server: RunningServer;
  url: string;
  close(): Promise<void>;
}

export async function startHardeningServer(
  options: {
    env?: Record<string, string>;
    /** Route the API's pool through this URL instead of the database's own. */
    apiUrl?: (db: TestDatabase) => Promise<string> | string;
    connectionTimeoutMs?: number;
    queryTimeoutMs?: number;
    db?: TestDatabase;
    /** The API's logger (default: silent unless GATEHOUSE_TEST_LOG), e.g. to capture lines. */
    logger?: Logger;
  } = {},
): Promise<HardeningServer> {
  const poolMax = pglitePoolMax();
  const db = options.db ?? (await createTestDatabase(poolMax ? { poolMax } : {}));
  const apiDb = options.apiUrl
    ? createDatabase({
        url: await options.apiUrl(db),
        poolMax: poolMax ?? 10,
        ...(options.connectionTimeoutMs
          ? { connectionTimeoutMs: options.connectionTimeoutMs }
          : {}),
        ...(options.queryTimeoutMs ? { queryTimeoutMs: options.queryTimeoutMs } : {}),
      })
    : db;
  const clock = new ManualClock(new Date());
  const config = loadConfig({ ...options.env });
  const logger = options.logger ?? createLogger(process.env.GATEHOUSE_TEST_LOG ?? "silent");
  const server = await startHttpServer(
    { db: apiDb, config, clock, logger },
    { port: 0, host: "127.0.0.1" },
  );
  return {
    db,
    apiDb,
    clock,
    config,
    logger,
    server,
    url: server.url,
    async close() {
      await server.stop(1000);
      if (apiDb !== db) await apiDb.close();
      await db.close();
    },
  };
}
