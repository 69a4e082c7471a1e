/**
 * A standalone worker process (`pnpm --filter @gatehouse/api worker`) for scaling out:
 * any number of them share the job queue in DATABASE_URL's PostgreSQL.
 */
import { ConfigError } from "../config.ts";
import { createProcessDeps } from "../deps.ts";
import { exitWithError } from "../fatal.ts";
import { startMetricsServer } from "../http/metrics-server.ts";
import { Metrics } from "../metrics.ts";
import { startWorker } from "./worker.ts";

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL) {
    throw new ConfigError("the standalone worker needs DATABASE_URL (the embedded database runs inside `npm start`)");
  }
  const deps = await createProcessDeps({ applicationName: "gatehouse-worker" });
  const metrics = new Metrics(deps.db);
  const worker = startWorker(deps, {
    observeLiteLLM: (region) => metrics.litellmObserver(region),
    onMergesSettled: (outcome, count) => metrics.mergesSettled(outcome, count),
    concurrency: positive("GATEHOUSE_WORKER_CONCURRENCY") ?? 32,
    // How long a claimed job stays this worker's: after a crash, another worker takes the
    // job over once the lease ends. Keep it above the LiteLLM request timeout.
    ...optional("leaseMs", positive("GATEHOUSE_WORKER_LEASE_MS")),
    ...optional("pollIntervalMs", positive("GATEHOUSE_WORKER_POLL_MS")),
    ...optional("requestTimeoutMs", positive("GATEHOUSE_WORKER_REQUEST_TIMEOUT_MS")),
  });
  // A standalone worker has no API port: its metrics need their own listener.
  const metricsServer = deps.config.metrics.address ? await startMetricsServer(metrics, deps.config.metrics.address) : null;
  deps.logger.info({ worker: worker.id, ...(metricsServer ? { metrics: metricsServer.url } : {}) }, "worker started");
  const shutdown = async () => {
    await worker.stop();
    await metricsServer?.stop();
    await deps.db.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown());
  process.on("SIGTERM", () => void shutdown());
}

/** A positive number from the environment, or undefined when unset; else a config error. */
function positive(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new ConfigError(`invalid configuration: ${name}: expected a positive number, got "${raw}"`);
  return value;
}

const optional = <K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> =>
  value === undefined ? {} : ({ [key]: value } as Record<K, number>);

main().catch(exitWithError);
