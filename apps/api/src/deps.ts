/**
 * Builds the long-lived dependencies of a process (API, worker, CLI) from the
 * environment: configuration, logger, clock and the opened, migrated database.
 */
import { openDatabase, type OpenedDatabase } from "@gatehouse/db";
import { systemClock, type Clock } from "./clock.ts";
import { loadConfig, type AppConfig } from "./config.ts";
import type { AppDeps } from "./context.ts";
import { createLogger } from "./logger.ts";

export interface ProcessDeps extends AppDeps {
  db: OpenedDatabase;
}

export async function createProcessDeps(
  options: { env?: NodeJS.ProcessEnv; clock?: Clock; config?: AppConfig; applicationName?: string } = {},
): Promise<ProcessDeps> {
  const env = options.env ?? process.env;
  const config = options.config ?? loadConfig(env);
  const logger = createLogger(config.logLevel);
  const db = await openDatabase({
    env,
    poolMax: config.database.poolMax,
    pglitePort: config.database.pglitePort,
    applicationName: options.applicationName ?? "gatehouse-api",
  });
  return { db, config, logger, clock: options.clock ?? systemClock };
}
