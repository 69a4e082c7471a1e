/**
 * One error type for everything that can go wrong talking to a LiteLLM proxy. The merge
 * worker decides from `kind` and `retryable` alone whether to back off and retry, recover
 * (`reason` says how: e.g. `team_not_found` -> ensure the team first) or give up, so the
 * classification below is the part of this package that must match real LiteLLM answers.
 *
 * Real LiteLLM error bodies come in three shapes (verified in BerriAI/litellm source):
 * - `{"error": {"message", "type", "param", "code"}}` from its `ProxyException` handler;
 *   when the endpoint raised `HTTPException(detail={"error": "..."})` the message is the
 *   Python repr of that dict, e.g. `"{'error': 'Team id = t1 already exists. ...'}"`.
 * - `{"detail": ...}` from FastAPI itself: a string, a dict, or (422) a list of
 *   pydantic issues `[{loc, msg, type}]`.
 * - plain text for crashes outside the handlers: Starlette's `500 Internal Server Error`.
 *   /team/member_add on a missing team is one (get_team_object raised a plain Exception
 *   there for many releases), so that exact answer on that route means "no such team".
 * Messages are matched on stable fragments, never on whole strings, and the status code is
 * only trusted where LiteLLM is consistent (it reports a missing team on /key/update as a
 * 500 or a 400 depending on version, and a missing key there as a 404 whose text says
 * "Team not found").
 */

export const liteLLMErrorKinds = [
  "unavailable",
  "timeout",
  "unauthorized",
  "rejected",
  "not_found",
  "conflict",
  "already_exists",
  "protocol",
] as const;

/**
 * - `unavailable`: connection refused/reset, 5xx, 429 — the proxy is not answering properly.
 * - `timeout`: no answer in time. The call may still have taken effect; repeat it idempotently.
 * - `unauthorized`: the master key is missing, wrong, or lacks rights (401/403).
 * - `rejected`: LiteLLM refused the request as invalid (validation, non-member owner...),
 *   or the proxy cannot do it as configured: `premium_feature` (needs an Enterprise
 *   licence), `licence_limit` (the licence's team/user count is used up), `no_models`
 *   ("LLM router not found": a proxy with no models cannot move keys between teams);
 *   `model_not_allowed` / `limit_above_team`: a key moved to a team that lacks its models
 *   or has lower tpm/rpm limits.
 * - `not_found`: the team or key named in the request does not exist (`reason` says which).
 * - `conflict`: the request collides with another object (e.g. a key alias already in use).
 * - `already_exists`: the thing being created is already there (team, membership).
 * - `protocol`: the answer is not LiteLLM's (wrong base URL, redirect, unparseable body).
 */
export type LiteLLMErrorKind = (typeof liteLLMErrorKinds)[number];

export type LiteLLMErrorReason =
  | "connection_failed"
  | "server_error"
  | "rate_limited"
  | "timed_out"
  | "bad_master_key"
  | "invalid_request"
  | "not_team_member"
  | "team_not_found"
  | "key_not_found"
  | "team_exists"
  | "member_exists"
  | "member_not_found"
  | "alias_taken"
  | "premium_feature"
  | "licence_limit"
  | "no_models"
  | "model_not_allowed"
  | "limit_above_team"
  | "route_not_found"
  | "bad_response";

export type LiteLLMOperation =
  | "createTeam"
  | "addTeamMembers"
  | "removeTeamMember"
  | "generateKey"
  | "updateKey"
  | "deleteKeys"
  | "keyInfo"
  | "listTeams"
  | "listKeys"
  | "updateTeam"
  | "deleteTeams"
  | "teamInfo"
  | "blockTeam"
  | "unblockTeam"
  | "blockKey"
  | "unblockKey"
  | "updateTeamMember"
  | "checkKey"
  | "teamDailySpend";

/** Whether repeating the very same request later can succeed without anything else changing. */
const retryableByKind: Record<LiteLLMErrorKind, boolean> = {
  unavailable: true,
  timeout: true,
  unauthorized: false,
  rejected: false,
  not_found: false,
  conflict: false,
  already_exists: false,
  protocol: false,
};

export interface LiteLLMErrorDetails {
  kind: LiteLLMErrorKind;
  reason: LiteLLMErrorReason;
  operation: LiteLLMOperation;
  /** HTTP status, when the proxy answered at all. */
  status?: number | undefined;
  /** LiteLLM's own message, unwrapped and redacted. */
  litellmMessage?: string | undefined;
  /** LiteLLM's `error.type` (e.g. `auth_error`, `team_member_already_in_team`). */
  litellmType?: string | undefined;
  cause?: unknown;
}

export class LiteLLMError extends Error {
  override readonly name = "LiteLLMError";
  readonly kind: LiteLLMErrorKind;
  readonly reason: LiteLLMErrorReason;
  readonly retryable: boolean;
  readonly operation: LiteLLMOperation;
  readonly status: number | undefined;
  readonly litellmMessage: string | undefined;
  readonly litellmType: string | undefined;

  constructor(message: string, details: LiteLLMErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = details.kind;
    this.reason = details.reason;
    this.retryable = retryableByKind[details.kind];
    this.operation = details.operation;
    this.status = details.status;
    this.litellmMessage = details.litellmMessage;
    this.litellmType = details.litellmType;
  }

  /** Structured form for logs and job records; carries no secret. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      kind: this.kind,
      reason: this.reason,
      retryable: this.retryable,
      operation: this.operation,
      status: this.status,
      litellmType: this.litellmType,
    };
  }
}

export function isLiteLLMError(error: unknown): error is LiteLLMError {
  return error instanceof LiteLLMError;
}

const MAX_MESSAGE_CHARS = 500;

/**
 * Removes secrets from text that came back from the proxy: the master key itself, and any
 * `sk-...` value (LiteLLM echoes an abbreviated API key in its 401 message, and virtual key
 * secrets must never reach logs either).
 */
export function redact(text: string, masterKey: string): string {
  // Bound the work on huge bodies. Cutting here can split a secret, but any such fragment
  // lies far beyond the final cut below, so it is dropped too.
  let out = text.slice(0, MAX_MESSAGE_CHARS * 4);
  out = masterKey.length > 0 ? out.split(masterKey).join("[redacted]") : out;
  out = out.replace(/Received API Key = [^,\s]*/g, "Received API Key = [redacted]");
  // ...and the sha256 of that key, which is how LiteLLM names a key internally.
  out = out.replace(/Key Hash \(Token\) ?=[0-9a-f]*/gi, "Key Hash (Token) =[redacted]");
  out = out.replace(/sk-[^\s,'"`)}\]]*/g, "sk-[redacted]");
  return out.length > MAX_MESSAGE_CHARS ? `${out.slice(0, MAX_MESSAGE_CHARS)}…` : out;
}

interface ParsedErrorBody {
  message: string | undefined;
  type: string | undefined;
  /** FastAPI's own `{"detail": "Not Found"}` for a route that does not exist. */
  isRouteNotFound: boolean;
}

/** `{'error': 'text'}` (Python repr of the detail dict LiteLLM wraps) -> `text`. */
function unwrapPythonDictRepr(message: string): string {
  const match = /^\{'error': (['"])([\s\S]*)\1\}$/.exec(message.trim());
  return match?.[2] === undefined ? message : match[2].replace(/\\'/g, "'");
}

function detailToMessage(detail: unknown): string | undefined {
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) {
    // pydantic issues: "body.team_id: Field required; body.member.0.role: Input should be ..."
    return detail
      .map((issue: unknown) => {
        if (typeof issue !== "object" || issue === null) return String(issue);
        const { loc, msg } = issue as { loc?: unknown; msg?: unknown };
        const where = Array.isArray(loc) ? loc.map(String).join(".") : "";
        return where ? `${where}: ${String(msg)}` : String(msg);
      })
      .join("; ");
  }
  if (typeof detail === "object" && detail !== null) {
    const inner =
      (detail as { error?: unknown; message?: unknown }).error ??
      (detail as { message?: unknown }).message;
    return typeof inner === "string" ? inner : JSON.stringify(detail);
  }
  return undefined;
}

export function parseErrorBody(text: string): ParsedErrorBody {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const trimmed = text.trim();
    return { message: trimmed || undefined, type: undefined, isRouteNotFound: false };
  }
  if (typeof json !== "object" || json === null) {
    return { message: String(json), type: undefined, isRouteNotFound: false };
  }
  const body = json as { error?: unknown; detail?: unknown };
  if (typeof body.error === "object" && body.error !== null) {
    const { message, type } = body.error as { message?: unknown; type?: unknown };
    return {
      message: typeof message === "string" ? unwrapPythonDictRepr(message) : undefined,
      type: typeof type === "string" ? type : undefined,
      isRouteNotFound: false,
    };
  }
  if (typeof body.error === "string") {
    return { message: body.error, type: undefined, isRouteNotFound: false };
  }
  if (body.detail !== undefined) {
    return {
      message: detailToMessage(body.detail),
      type: undefined,
      isRouteNotFound: body.detail === "Not Found",
    };
  }
  return { message: undefined, type: undefined, isRouteNotFound: false };
}

export interface Classification {
  kind: LiteLLMErrorKind;
  reason: LiteLLMErrorReason;
}

// Fragments of LiteLLM's messages (see the header comment for where they come from).
const TEAM_MISSING =
  /Team object not found for team change validation|Team doesn't exist in db|Unable to find team object in database|Team not found for team_id=/i;
const TEAM_EXISTS = /already exists/i;
const MEMBER_EXISTS = /already in team/i;
const NOT_TEAM_MEMBER = /is not a member of the team/i;
const ALIAS_TAKEN = /Unique key aliases|alias .* already exists/i;
// team_endpoints.py `_check_team_member_admin_add`; proxy/_types.py
// `CommonProxyErrors.not_premium_user` (what `_premium_user_check` answers, with a 403).
const PREMIUM_FEATURE = /is a premium feature|must be a LiteLLM Enterprise user/i;
// team_endpoints.py `new_team`, internal_user_endpoints.py `new_user`: HTTPException 403.
const LICENCE_LIMIT = /License is over limit/i;
// key_management_endpoints.py `update_key_fn` (team change on a proxy without models).
const NO_MODELS = /LLM router not found/i;
const UNCAUGHT_CRASH = "Internal Server Error";
// team_endpoints.py `team_member_delete`: the member, then the team, missing (both 400).
const MEMBER_MISSING = /User not found in team/i;
const MEMBER_DELETE_TEAM_MISSING = /does not exist in db/i;
// key_management_endpoints.py `validate_key_team_change`: a key's tpm/rpm limit above the
// target team's (403) on a move.
const LIMIT_ABOVE_TEAM = /which is greater than the team's/i;
// team_endpoints.py `team_member_update`: a user_email no member has.
const MEMBER_UPDATE_USER_MISSING = /User id doesn't exist in team table/i;
// auth/auth_checks.py `get_key_object`.
const KEY_NOT_IN_DB = /key=\S+, not found in db/i;

const keyOperations: ReadonlySet<LiteLLMOperation> = new Set([
  "updateKey",
  "deleteKeys",
  "keyInfo",
  "blockKey",
  "unblockKey",
]);
const teamOperations: ReadonlySet<LiteLLMOperation> = new Set([
  "addTeamMembers",
  "updateTeamMember",
  "updateTeam",
  "deleteTeams",
  "teamInfo",
  "blockTeam",
  "unblockTeam",
]);

/** Maps one non-2xx answer to a kind and reason. Pure, so it is tested table-driven. */
export function classifyHttpFailure(
  operation: LiteLLMOperation,
  status: number,
  body: ParsedErrorBody,
): Classification {
  const message = body.message ?? "";
  // /key/block and /key/unblock name a key the proxy lacks with a 401 from
  // `get_key_object` (type token_not_found_in_db, "key=<hash>, not found in db"), which must
  // not read as a bad master key (auth_error, "Received API Key = ...").
  if (
    status === 401 &&
    keyOperations.has(operation) &&
    (body.type === "token_not_found_in_db" || KEY_NOT_IN_DB.test(message))
  ) {
    return { kind: "not_found", reason: "key_not_found" };
  }
  // validate_key_team_change -> can_team_access_model: a moved key's models are not the
  // target team's. A 401 (403 in some releases) sent to a perfectly good master key.
  if (body.type === "team_model_access_denied")
    return { kind: "rejected", reason: "model_not_allowed" };
  if (status === 401) return { kind: "unauthorized", reason: "bad_master_key" };
  if (LIMIT_ABOVE_TEAM.test(message)) return { kind: "rejected", reason: "limit_above_team" };
  // Before the 403 rule: a licence answer is a 403 sent to a perfectly good master key.
  if (PREMIUM_FEATURE.test(message)) return { kind: "rejected", reason: "premium_feature" };
  if (LICENCE_LIMIT.test(message)) return { kind: "rejected", reason: "licence_limit" };
  if (NO_MODELS.test(message)) return { kind: "rejected", reason: "no_models" };
  if (
    operation === "addTeamMembers" &&
    status === 500 &&
    body.type === undefined &&
    message === UNCAUGHT_CRASH
  ) {
    return { kind: "not_found", reason: "team_not_found" };
  }
  if (NOT_TEAM_MEMBER.test(message)) return { kind: "rejected", reason: "not_team_member" };
  if (operation === "updateTeamMember" && status === 400) {
    if (MEMBER_UPDATE_USER_MISSING.test(message))
      return { kind: "not_found", reason: "member_not_found" };
    if (MEMBER_DELETE_TEAM_MISSING.test(message))
      return { kind: "not_found", reason: "team_not_found" };
  }
  if (operation === "removeTeamMember" && status === 400) {
    if (MEMBER_MISSING.test(message)) return { kind: "not_found", reason: "member_not_found" };
    if (MEMBER_DELETE_TEAM_MISSING.test(message))
      return { kind: "not_found", reason: "team_not_found" };
  }
  if (status === 403) return { kind: "unauthorized", reason: "bad_master_key" };
  if (TEAM_MISSING.test(message)) return { kind: "not_found", reason: "team_not_found" };
  if (body.type === "team_member_already_in_team" || MEMBER_EXISTS.test(message)) {
    return { kind: "already_exists", reason: "member_exists" };
  }
  if (operation === "createTeam" && status < 500 && TEAM_EXISTS.test(message)) {
    return { kind: "already_exists", reason: "team_exists" };
  }
  if (ALIAS_TAKEN.test(message)) return { kind: "conflict", reason: "alias_taken" };
  if (status === 404) {
    // FastAPI's bare "Not Found" means the route is missing (wrong base URL), never a
    // missing object: treating it as "already deleted" would silently skip real work.
    if (body.isRouteNotFound) return { kind: "protocol", reason: "route_not_found" };
    if (keyOperations.has(operation)) return { kind: "not_found", reason: "key_not_found" };
    if (teamOperations.has(operation)) return { kind: "not_found", reason: "team_not_found" };
    return { kind: "protocol", reason: "route_not_found" };
  }
  if (status === 409) return { kind: "conflict", reason: "invalid_request" };
  if (status === 408) return { kind: "timeout", reason: "timed_out" };
  if (status === 429) return { kind: "unavailable", reason: "rate_limited" };
  if (status >= 500) return { kind: "unavailable", reason: "server_error" };
  if (status >= 400) return { kind: "rejected", reason: "invalid_request" };
  return { kind: "protocol", reason: "bad_response" };
}

const timeoutCodes = new Set([
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "ETIMEDOUT",
]);

/** The errno-style code buried in a fetch failure (`TypeError: fetch failed` -> cause). */
export function networkErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Maps a thrown fetch error (no HTTP answer) to a kind and reason. */
export function classifyNetworkFailure(error: unknown): Classification {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === "TimeoutError" || name === "AbortError")
    return { kind: "timeout", reason: "timed_out" };
  const code = networkErrorCode(error);
  if (code !== undefined && timeoutCodes.has(code)) return { kind: "timeout", reason: "timed_out" };
  return { kind: "unavailable", reason: "connection_failed" };
}
