/**
 * A standalone worker process (`pnpm --filter @gatehouse/api worker`) for scaling out:
 * any number of them share the job queue in DATABASE_URL's PostgreSQL.
 */
import { createProcessDeps } from "../deps.ts";
import { exitWithError } from "../fatal.ts";
import { startWorker } from "./worker.ts";

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL) {
    throw new Error("the standalone worker needs DATABASE_URL (the embedded database runs inside `npm start`)");
  }
  const deps = await createProcessDeps({ applicationName: "gatehouse-worker" });
  const worker = startWorker(deps, { concurrency: Number(process.env.GATEHOUSE_WORKER_CONCURRENCY ?? 32) });
  deps.logger.info({ worker: worker.id }, "worker started");
  const shutdown = async () => {
    await worker.stop();
    await deps.db.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown());
  process.on("SIGTERM", () => void shutdown());
}

main().catch(exitWithError);
