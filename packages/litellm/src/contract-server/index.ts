/**
 * @gatehouse/litellm/contract-server: a LiteLLM stand-in for tests, benchmarks and the demo.
 * It speaks LiteLLM's wire format and enforces the validations Gatehouse depends on (see
 * routes.ts for what was verified against LiteLLM's source and what is assumed).
 */
export { startContractServer } from "./server.ts";
export type { ContractServer, ContractServerOptions } from "./server.ts";
export { ContractFaults } from "./faults.ts";
export type { DownMode, DownOptions, FailNextRule, FaultStatus } from "./faults.ts";
export { ContractState, durationEnd, hashToken } from "./state.ts";
export type {
  ContractDailyTeamSpend,
  ContractKey,
  ContractMemberRole,
  ContractStateSnapshot,
  ContractTeam,
  ContractTeamMember,
  ContractTeamMembership,
  BudgetResetRun,
  RequestLogEntry,
} from "./state.ts";
export { budgetResetAt } from "./budget.ts";
export { contractProfiles, isContractProfile } from "./profiles.ts";
export type { ContractProfile } from "./profiles.ts";
