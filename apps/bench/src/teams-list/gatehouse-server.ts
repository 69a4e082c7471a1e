/** Child process: the real Gatehouse HTTP API on DATABASE_URL, for the benchmark. */
import { createProcessDeps, startHttpServer } from "@gatehouse/api";

const deps = await createProcessDeps({ applicationName: "bench-gatehouse" });
// The API reads PORT itself (config.ts); the benchmark passes 0: any free port.
const server = await startHttpServer(deps, { port: deps.config.port, host: "127.0.0.1" });
console.log(`READY ${server.port}`);
