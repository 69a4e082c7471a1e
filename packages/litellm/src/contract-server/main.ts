/**
 * `pnpm --filter @gatehouse/litellm contract-server`: runs the contract server as its own
 * process for the demo and browser tests. Env (read in config.ts): PORT (default 4000, LiteLLM's default; 0 =
 * any free port), HOST (default 127.0.0.1), LITELLM_MASTER_KEY, LITELLM_CONTRACT_PROFILE
 * (`oss` (default) | `enterprise` | `strict-alias` | `legacy`). Prints its URL on stdout once it accepts connections.
 *
 * To stop it from another program, signal the whole process group (spawn it detached and
 * `process.kill(-child.pid, "SIGTERM")`): pnpm and its `sh` do not forward a SIGTERM sent
 * to pnpm's pid alone, which would leave this server running. Ctrl-C in a terminal already
 * reaches the whole group.
 */
import {
  ContractServerConfigError,
  DEV_MASTER_KEY,
  loadContractServerConfig,
  type ContractServerConfig,
} from "./config.ts";
import { startContractServer } from "./server.ts";

function fail(message: string): never {
  process.stderr.write(`contract-server: ${message}\n`);
  process.exit(2);
}

let config: ContractServerConfig;
try {
  config = loadContractServerConfig();
} catch (error) {
  if (error instanceof ContractServerConfigError) fail(error.message);
  throw error;
}
if (config.masterKey === DEV_MASTER_KEY) {
  process.stderr.write(
    "contract-server: LITELLM_MASTER_KEY not set, using the development default\n",
  );
}

const server = await startContractServer(config).catch((error: unknown) =>
  fail(`cannot listen: ${(error as Error).message}`),
);

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
