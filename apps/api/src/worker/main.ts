/**
 * A standalone worker process (`pnpm --filter @gatehouse/api worker`) for scaling out:
 * any number of them share the job queue in DATABASE_URL's PostgreSQL.
 */
import { ConfigError, loadConfig } from "../config.ts";
import { createProcessDeps } from "../deps.ts";
import { exitWithError } from "../fatal.ts";
import { startMetricsServer } from "../http/metrics-server.ts";
import { Metrics } from "../metrics.ts";
import { sealMasterKeysAtStart } from "../sealing.ts";
import { startWorker, workerPolicy } from "./worker.ts";

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.database.url) {
    throw new ConfigError(
      "the standalone worker needs DATABASE_URL (the embedded database runs inside `npm start`)",
    );
  }
  const deps = await createProcessDeps({ config, applicationName: "gatehouse-worker" });
  const sealed = await sealMasterKeysAtStart(deps.db, deps.config);
  if (sealed > 0) deps.logger.info({ sealed }, "region master keys sealed");
  // Settings come validated from config.ts. The lease (how long a claimed job stays this
  // worker's before another takes it over after a crash) must stay above the LiteLLM
  // request timeout.
  const settings = deps.config.workerSettings;
  const metrics = new Metrics(deps.db);
  const worker = startWorker(deps, {
    ...settings,
    ...workerPolicy(deps.config),
    observeLiteLLM: (region) => metrics.litellmObserver(region),
    onMergesSettled: (outcome, count) => metrics.mergesSettled(outcome, count),
  });
  // A standalone worker has no API port: its metrics need their own listener.
  const metricsServer = deps.config.metrics.address
    ? await startMetricsServer(metrics, deps.config.metrics.address)
    : null;
  deps.logger.info(
    { worker: worker.id, ...settings, ...(metricsServer ? { metrics: metricsServer.url } : {}) },
    "worker started",
  );
  const shutdown = async () => {
    await worker.stop();
    await metricsServer?.stop();
    await deps.db.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown());
  process.on("SIGTERM", () => void shutdown());
}

main().catch(exitWithError);
