/**
 * `pnpm --filter @gatehouse/litellm contract-server`: runs the contract server as its own
 * process for the demo and browser tests. Env: PORT (default 4000, LiteLLM's default; 0 =
 * any free port), HOST (default 127.0.0.1), LITELLM_MASTER_KEY, LITELLM_CONTRACT_PROFILE
 * (`oss` (default) | `enterprise` | `strict-alias` | `legacy`). Prints its URL on stdout once it accepts connections.
 *
 * To stop it from another program, signal the whole process group (spawn it detached and
 * `process.kill(-child.pid, "SIGTERM")`): pnpm and its `sh` do not forward a SIGTERM sent
 * to pnpm's pid alone, which would leave this server running. Ctrl-C in a terminal already
 * reaches the whole group.
 */
import { contractProfiles, isContractProfile } from "./routes.ts";
import { startContractServer } from "./server.ts";

// Only ever a fake proxy on loopback; the demo and docs may rely on this default.
const DEV_MASTER_KEY = "sk-gatehouse-contract-dev";

function fail(message: string): never {
  process.stderr.write(`contract-server: ${message}\n`);
  process.exit(2);
}

const portText = process.env.PORT ?? "4000";
const port = Number(portText);
if (!Number.isInteger(port) || port < 0 || port > 65_535) fail(`invalid PORT: ${portText}`);

const profile = process.env.LITELLM_CONTRACT_PROFILE ?? "oss";
if (!isContractProfile(profile)) {
  fail(`invalid LITELLM_CONTRACT_PROFILE: ${profile} (${contractProfiles.join(" | ")})`);
}

const masterKey = process.env.LITELLM_MASTER_KEY || DEV_MASTER_KEY;
if (masterKey === DEV_MASTER_KEY) {
  process.stderr.write("contract-server: LITELLM_MASTER_KEY not set, using the development default\n");
}

const server = await startContractServer({
  port,
  host: process.env.HOST ?? "127.0.0.1",
  masterKey,
  profile,
}).catch((error: unknown) => fail(`cannot listen: ${(error as Error).message}`));

process.stdout.write(`LiteLLM contract server listening on ${server.url}\n`);

let stopping = false;
function shutdown(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`contract-server: ${signal}, stopping\n`);
  server.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
}
// `on`, not `once`: a group signal arrives twice (directly and relayed by tsx), and a
// second SIGTERM without a listener would kill the process mid-shutdown.
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
