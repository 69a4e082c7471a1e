/**
 * The standalone contract server's environment (main.ts): the one module of
 * packages/litellm that reads process.env. The server itself (server.ts) takes options.
 */
import { contractProfiles, isContractProfile, type ContractProfile } from "./profiles.ts";

// Only ever a fake proxy on loopback; the demo and docs may rely on this default.
export const DEV_MASTER_KEY = "sk-gatehouse-contract-dev";

export interface ContractServerConfig {
  /** PORT (default 4000, LiteLLM's default; 0 = any free port). */
  port: number;
  /** HOST (default 127.0.0.1). */
  host: string;
  /** LITELLM_MASTER_KEY (unset: DEV_MASTER_KEY). */
  masterKey: string;
  /** LITELLM_CONTRACT_PROFILE (default oss). */
  profile: ContractProfile;
  /** LITELLM_CONTRACT_BUDGET_RESET_MS: run the budget reset job this often (unset: never). */
  budgetResetEveryMs?: number;
}

export class ContractServerConfigError extends Error {
  override readonly name = "ContractServerConfigError";
}

export function loadContractServerConfig(
  env: NodeJS.ProcessEnv = process.env,
): ContractServerConfig {
  const portText = env.PORT || "4000";
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new ContractServerConfigError(`invalid PORT: ${portText}`);
  const profile = env.LITELLM_CONTRACT_PROFILE || "oss";
  if (!isContractProfile(profile)) {
    throw new ContractServerConfigError(
      `invalid LITELLM_CONTRACT_PROFILE: ${profile} (${contractProfiles.join(" | ")})`,
    );
  }
  const resetText = env.LITELLM_CONTRACT_BUDGET_RESET_MS;
  let budgetResetEveryMs: number | undefined;
  if (resetText) {
    budgetResetEveryMs = Number(resetText);
    if (!Number.isInteger(budgetResetEveryMs) || budgetResetEveryMs <= 0)
      throw new ContractServerConfigError(`invalid LITELLM_CONTRACT_BUDGET_RESET_MS: ${resetText}`);
  }
  return {
    port,
    host: env.HOST || "127.0.0.1",
    masterKey: env.LITELLM_MASTER_KEY || DEV_MASTER_KEY,
    profile,
    ...(budgetResetEveryMs !== undefined ? { budgetResetEveryMs } : {}),
  };
}
