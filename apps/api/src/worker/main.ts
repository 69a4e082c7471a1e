/**
 * A standalone worker process (`pnpm --filter @gatehouse/api worker`) for scaling out:
 * any number of them share the job queue in DATABASE_URL's PostgreSQL.
 */
import { ConfigError } from "../config.ts";
import { createProcessDeps } from "../deps.ts";
import { exitWithError } from "../fatal.ts";
import { startWorker, workerPolicy } from "./worker.ts";

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL) {
    throw new ConfigError("the standalone worker needs DATABASE_URL (the embedded database runs inside `npm start`)");
  }
  const deps = await createProcessDeps({ applicationName: "gatehouse-worker" });
  // Settings come validated from config.ts. The lease (how long a claimed job stays this
  // worker's before another takes it over after a crash) must stay above the LiteLLM
  // request timeout.
  const settings = deps.config.workerSettings;
  const worker = startWorker(deps, {
    ...settings,
    ...workerPolicy(deps.config),
  });
  deps.logger.info({ worker: worker.id, ...settings }, "worker started");
  const shutdown = async () => {
    await worker.stop();
    await deps.db.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown());
  process.on("SIGTERM", () => void shutdown());
}

main().catch(exitWithError);
