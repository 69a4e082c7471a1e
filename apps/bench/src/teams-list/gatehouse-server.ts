/** Child process: the real Gatehouse HTTP API on DATABASE_URL, for the benchmark. */
import { createProcessDeps, startHttpServer } from "@gatehouse/api";

const deps = await createProcessDeps({ applicationName: "bench-gatehouse" });
const server = await startHttpServer(deps, { port: Number(process.env.PORT ?? 0), host: "127.0.0.1" });
console.log(`READY ${server.port}`);

// Exit normally on SIGTERM so a --cpu-prof profile is written.
process.on("SIGTERM", () => process.exit(0));
