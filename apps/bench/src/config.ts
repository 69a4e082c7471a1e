/**
 * The benchmarks' environment: the one module of apps/bench that reads process.env (the
 * benchmark drivers and the child servers they start alike). Each benchmark hands the API
 * its settings as the API's own variables, which apps/api/src/config.ts validates.
 */

export interface BenchConfig {
  /** DATABASE_URL: the generated data (teams-list, soak) or the server for a fresh database (merge, reconcile). */
  databaseUrl: string | undefined;
  /** GATEHOUSE_LOG_LEVEL handed to the API under measurement (default warn: logs cost time). */
  apiLogLevel: string;
  /** PORT of a child server (0: any free port). */
  port: number;
  /** GATEHOUSE_DB_POOL_MAX of a child server. */
  poolMax: number;
  /** SOAK_SAMPLE_MS: the soak benchmark's memory probe interval. */
  soakSampleMs: number;
  /** BENCH_CPU_PROF: a folder for the servers' V8 CPU profiles (teams-list), or undefined. */
  cpuProfileDir: string | undefined;
  /** BENCH_API_PROCESSES: API processes (node:cluster) the teams-list gatehouse server runs. */
  apiProcesses: number;
}

function integer(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`invalid ${name}: ${raw} (an integer >= ${min})`);
  return value;
}

export function loadBenchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    apiLogLevel: env.GATEHOUSE_LOG_LEVEL || "warn",
    // Each read spelled out: apps/api/test/config/configuration-list.test.ts finds them by name.
    port: integer("PORT", env.PORT, 0, 0),
    poolMax: integer("GATEHOUSE_DB_POOL_MAX", env.GATEHOUSE_DB_POOL_MAX, 10, 1),
    soakSampleMs: integer("SOAK_SAMPLE_MS", env.SOAK_SAMPLE_MS, 2_000, 1),
    cpuProfileDir: env.BENCH_CPU_PROF || undefined,
    apiProcesses: integer("BENCH_API_PROCESSES", env.BENCH_API_PROCESSES, 1, 1),
  };
}

/** The environment of a child process: ours (PATH, HOME...) plus `extra`. */
/**
 * The secrets key of an API a benchmark starts on a server database: one refuses to start
 * with master keys in clear and no key to seal them, so the generated region's key is sealed
 * at start under this throwaway key unless GATEHOUSE_SECRETS_KEY names one.
 */
export const benchSecretsKey = process.env.GATEHOUSE_SECRETS_KEY ?? "5e".repeat(32);

export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}

/**
 * Node flags of the Gatehouse API in every benchmark, as production runs it (apps/api
 * package.json start, scripts/gatehouse-run.mjs): a 32 MB semi-space.
 */
export const API_NODE_FLAGS = ["--max-semi-space-size=32"];
