/**
 * Child process: the real Gatehouse HTTP API on DATABASE_URL, for the benchmark. With
 * BENCH_API_PROCESSES=n (n > 1) it runs n API processes sharing one port through
 * node:cluster, as n stateless instances behind a balancer would (the pool is split so the
 * database sees the same number of connections in all).
 */
import cluster from "node:cluster";
import { createProcessDeps, startHttpServer } from "@gatehouse/api";
import { loadBenchConfig } from "../config.ts";

const config = loadBenchConfig();
const processes = config.apiProcesses;

if (processes > 1 && cluster.isPrimary) {
  const pool = Math.max(2, Math.floor(config.poolMax / processes));
  let announced = false;
  for (let i = 0; i < processes; i++) {
    const worker = cluster.fork({ GATEHOUSE_DB_POOL_MAX: String(pool) });
    worker.on("message", (message: { ready?: number }) => {
      // Every worker listens on the same port (cluster shares port 0's choice).
      if (message.ready && !announced) {
        announced = true;
        console.log(`READY ${message.ready}`);
      }
    });
  }
  process.on("SIGTERM", () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill("SIGTERM");
    process.exit(0);
  });
} else {
  const deps = await createProcessDeps({ applicationName: "bench-gatehouse" });
  // The API reads PORT itself (config.ts); the benchmark passes 0: any free port.
  const server = await startHttpServer(deps, { port: deps.config.port, host: "127.0.0.1" });
  if (cluster.isWorker) process.send?.({ ready: server.port });
  else console.log(`READY ${server.port}`);
  // Exit normally on SIGTERM so a --cpu-prof profile is written.
  process.on("SIGTERM", () => process.exit(0));
}
