/**
 * The environment of this package's own programs (`generate-data`, `migration:create` and
 * the Prisma CLI runs they and the drift test start): the one module of packages/db that
 * reads process.env. The library itself takes its settings as parameters (see open.ts);
 * the API reads the same variables in apps/api/src/config.ts.
 */

export interface DbCliConfig {
  /** DATABASE_URL; undefined: the embedded PGlite. */
  databaseUrl: string | undefined;
  /** GATEHOUSE_DATA_DIR; undefined: `.data` at the repository root. */
  dataDir: string | undefined;
}

export function loadDbCliConfig(env: NodeJS.ProcessEnv = process.env): DbCliConfig {
  // An empty variable (`FOO=`) means unset, as in the API's configuration.
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.GATEHOUSE_DATA_DIR || undefined,
  };
}

/** The environment a child process (the Prisma CLI) gets: ours (PATH, HOME...) plus `extra`. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}
