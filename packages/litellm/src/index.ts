/**
 * @gatehouse/litellm: the HTTP client for a region's LiteLLM proxy and its typed errors.
 * The contract test server lives behind the separate "./contract-server" export so that
 * production code never loads it.
 */
export {
  DEFAULT_TIMEOUT_MS,
  LiteLLMClient,
  MAX_LIST_PAGE_SIZE,
  litellmKeyToken,
} from "./client.ts";
export type { LiteLLMCallEvent, LiteLLMCallObserver, LiteLLMClientOptions } from "./client.ts";
export { LiteLLMError, isLiteLLMError, liteLLMErrorKinds } from "./errors.ts";
export type { LiteLLMErrorKind, LiteLLMErrorReason, LiteLLMOperation } from "./errors.ts";
export type * from "./types.ts";
