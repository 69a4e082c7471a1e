/**
 * Builds the long-lived dependencies of a process (API, worker, CLI) from its
 * configuration (config.ts, from the environment unless given): logger, clock and the
 * opened, migrated database.
 */
import path from "node:path";
import { embeddedDataDir, openDatabase, type OpenedDatabase } from "@gatehouse/db";
import { systemClock, type Clock } from "./clock.ts";
import { loadConfig, type AppConfig } from "./config.ts";
import type { AppDeps } from "./context.ts";
import { createLogger } from "./logger.ts";
import { loadOrCreateSecretsKey } from "./secrets.ts";

export interface ProcessDeps extends AppDeps {
  db: OpenedDatabase;
}

export async function createProcessDeps(
  options: {
    env?: NodeJS.ProcessEnv;
    clock?: Clock;
    config?: AppConfig;
    applicationName?: string;
  } = {},
): Promise<ProcessDeps> {
  const config = options.config ?? loadConfig(options.env);
  const logger = createLogger(config.logLevel);
  const db = await openDatabase({
    url: config.database.url,
    dataDir: config.database.dataDir,
    poolMax: config.database.poolMax,
    pglitePort: config.database.pglitePort,
    applicationName: options.applicationName ?? "gatehouse-api",
  });
  if (!config.secretsKey && db.embedded) {
    // The embedded (demo) mode keeps its own operator key beside the database, so demo keys
    // are restorable by reconciliation out of the box.
    config.secretsKey = loadOrCreateSecretsKey(
      path.join(path.dirname(embeddedDataDir(config.database.dataDir)), "secrets.key"),
    );
  } else if (!config.secretsKey) {
    logger.warn(
      "GATEHOUSE_SECRETS_KEY is unset: key secrets are not kept, so reconciliation cannot re-create a key its proxy lost",
    );
  }
  return { db, config, logger, clock: options.clock ?? systemClock };
}
