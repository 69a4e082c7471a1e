/**
 * The key routes: /key/generate, /key/update, /key/delete, /key/info, /key/block and
 * /key/unblock (see routes.ts for what was verified against LiteLLM and what is assumed).
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { olderTeamLookup, traitsOf, type ProfileTraits } from "./profiles.ts";
import {
  keyRow,
  now,
  ok,
  teamMissingText,
  zMetadata,
  zText,
  type RouteHandler,
} from "./route-kit.ts";
import { BUDGET_DURATION, budgetResetAt } from "./budget.ts";
import {
  durationEnd,
  hashToken,
  tokenOf,
  type ContractKey,
  type ContractState,
  type ContractTeam,
} from "./state.ts";
import {
  parseBody,
  proxyError,
  wrappedHttpException,
  type ProxyErrorType,
  type WireResponse,
} from "./wire.ts";

const zBlockKey = z.looseObject({ key: z.string() });
// The key fields GenerateKeyRequest / UpdateKeyRequest declare that the double models
// (proxy/_types.py GenerateRequestBase, KeyRequestBase; pydantic: Optional[float],
// Optional[str], Optional[int], Optional[list], Optional[bool]). `expires` is not one of
// them: pydantic ignores it, so a key's expiry is only ever set through `duration`.
const keyLimitFields = {
  max_budget: z.number().nullish(),
  budget_duration: zText,
  tpm_limit: z.int().nullish(),
  rpm_limit: z.int().nullish(),
  models: z.array(z.string()).nullish(),
  duration: zText,
  spend: z.number().nullish(),
};
const zGenerateKey = z.looseObject({
  key: zText,
  key_alias: zText,
  team_id: zText,
  user_id: zText,
  metadata: zMetadata,
  allowed_routes: z.array(z.string()).nullish(),
  blocked: z.boolean().nullish(),
  ...keyLimitFields,
});
const zUpdateKey = z.looseObject({
  key: z.string(),
  key_alias: zText,
  team_id: zText,
  user_id: zText,
  metadata: zMetadata,
  allowed_routes: z.array(z.string()).nullish(),
  blocked: z.boolean().nullish(),
  ...keyLimitFields,
});
const zDeleteKeys = z.looseObject({
  keys: z.array(z.string()).nullish(),
  key_aliases: z.array(z.string()).nullish(),
});

/** v1.82.0's `_KEY_ALIAS_PATTERN` (2-255 chars, alphanumeric at both ends). */
const STRICT_KEY_ALIAS = /^[a-zA-Z0-9][a-zA-Z0-9_\-/.]{0,253}[a-zA-Z0-9]$/;

/**
 * Alias checks before uniqueness, as /key/generate and /key/update run them: `..` is refused
 * by every profile (current main), the v1.82 format only by `strict-alias`.
 */
function invalidAlias(alias: string, traits: ProfileTraits): WireResponse | undefined {
  if (alias.includes("..")) {
    return proxyError(
      400,
      "Invalid key_alias. Path traversal ('..') is not allowed in key_alias.",
      "bad_request_error",
      "key_alias",
    );
  }
  if (traits.aliasFormat && !STRICT_KEY_ALIAS.test(alias)) {
    return proxyError(
      400,
      "Invalid key_alias format. Must be 2-255 characters, start/end with alphanumeric, and only contain a-zA-Z0-9_-/.",
      "bad_request_error",
      "key_alias",
    );
  }
  return undefined;
}

function aliasTaken(alias: string): WireResponse {
  return proxyError(
    400,
    `Key with alias '${alias}' already exists. Unique key aliases across all keys are required.`,
    "bad_request_error",
    "key_alias",
  );
}

/** Python's `str(float)` for a JSON number pydantic read as a float (`-1` -> `-1.0`). */
function pyFloat(value: number): string {
  return Number.isInteger(value) ? `${value}.0` : String(value);
}

/**
 * `generate_key_fn` / `update_key_fn` refuse a negative `max_budget` first of all:
 * HTTPException 400 `{"error": "max_budget cannot be negative. Received: -1.0"}`, passed
 * through `handle_exception_on_proxy` (generate) or re-raised as auth_error (update).
 */
function negativeBudget(maxBudget: number | null | undefined, type: ProxyErrorType) {
  if (maxBudget == null || maxBudget >= 0) return undefined;
  return wrappedHttpException(
    400,
    `max_budget cannot be negative. Received: ${pyFloat(maxBudget)}`,
    type,
  );
}

/**
 * The dates a key's `duration` and `budget_duration` give at `now`, or LiteLLM's ValueError
 * text: `duration_in_seconds` for `duration` (an exact offset from now, not a calendar
 * boundary) and `get_budget_reset_time` for `budget_duration` (budget.ts; the double
 * refuses the durations its team routes refuse, where newer LiteLLM falls back to the next
 * midnight).
 */
function keyDates(
  data: { duration?: string | null; budget_duration?: string | null },
  now: Date,
  emptyIgnored: boolean,
): { expires?: string | null; budgetResetAt?: string } | { error: string } {
  const dates: { expires?: string | null; budgetResetAt?: string } = {};
  if (data.duration === "-1") dates.expires = null;
  else if (data.duration != null && (data.duration !== "" || !emptyIgnored)) {
    const end = durationEnd(data.duration, now);
    if ("error" in end) return end;
    dates.expires = end.at.toISOString();
  }
  if (data.budget_duration != null && (data.budget_duration !== "" || !emptyIgnored)) {
    const reset = BUDGET_DURATION.test(data.budget_duration)
      ? budgetResetAt(data.budget_duration, now)
      : null;
    if (reset === null) return { error: "Invalid duration format" };
    dates.budgetResetAt = reset;
  }
  return dates;
}

/** `abbreviate`d as generate_key_fn prints a refused secret: `sk-x****wxyz`, or `****`. */
function maskedKey(key: string): string {
  return key.length > 8 ? `${key.slice(0, 4)}****${key.slice(-4)}` : "****";
}

export const generateKey: RouteHandler = ({ state, profile }, { body }) => {
  const parsed = parseBody(zGenerateKey, body);
  if (!parsed.ok) return parsed.response;
  const data = parsed.value;
  const negative = negativeBudget(data.max_budget, "internal_server_error");
  if (negative) return negative;
  if (data.team_id != null && !state.teams.has(data.team_id)) {
    // HTTPException with a string detail, wrapped by handle_exception_on_proxy.
    return proxyError(
      400,
      `Unable to find team object in database. Team ID: ${data.team_id}`,
      "internal_server_error",
    );
  }
  if (data.key_alias != null) {
    const refused = invalidAlias(data.key_alias, traitsOf[profile]);
    if (refused) return refused;
    if (state.aliasOwner(data.key_alias) !== undefined) return aliasTaken(data.key_alias);
  }
  // _common_key_generation_helper: a caller-chosen `key` must look like a virtual key
  // (HTTPException 400 with the secret masked), else f"sk-{secrets.token_urlsafe(16)}".
  if (data.key != null && !data.key.startsWith("sk-")) {
    return wrappedHttpException(
      400,
      `Invalid key format. LiteLLM Virtual Key must start with 'sk-'. Received: ${maskedKey(data.key)}`,
    );
  }
  // generate_key_helper_fn parses `duration` and `budget_duration` outside its own try: the
  // ValueError reaches generate_key_fn's handler, a 500 ProxyException with its text.
  // An empty string is parsed (and refused) here; update skips falsy durations.
  const dates = keyDates(data, state.clock(), false);
  if ("error" in dates) return proxyError(500, dates.error, "internal_server_error");
  const secret = data.key ?? `sk-${randomBytes(16).toString("base64url")}`;
  const token = hashToken(secret);
  const at = now();
  const key: ContractKey = {
    token,
    keyName: `sk-...${secret.slice(-4)}`,
    keyAlias: data.key_alias ?? null,
    teamId: data.team_id ?? null,
    userId: data.user_id ?? null,
    metadata: data.metadata ?? {},
    ...(data.allowed_routes ? { allowedRoutes: data.allowed_routes } : {}),
    ...(data.blocked != null ? { blocked: data.blocked } : {}),
    maxBudget: data.max_budget ?? null,
    budgetDuration: dates.budgetResetAt !== undefined ? (data.budget_duration ?? null) : null,
    budgetResetAt: dates.budgetResetAt ?? null,
    tpmLimit: data.tpm_limit ?? null,
    rpmLimit: data.rpm_limit ?? null,
    models: data.models ?? [],
    expires: dates.expires ?? null,
    ...(data.spend != null ? { spend: data.spend } : {}),
    createdAt: at,
    updatedAt: at,
  };
  // proxy/utils.py `PrismaClient.insert_data` upserts the token row with `update: {}`: an
  // existing secret changes nothing, yet the answer echoes the request as if it were new.
  if (!state.keys.has(token)) state.putKey(key);
  return ok({ ...keyRow(key), key: secret, token, token_id: token });
};

export const updateKey: RouteHandler = ({ state, profile }, { body }) => {
  const parsed = parseBody(zUpdateKey, body);
  if (!parsed.ok) return parsed.response;
  const data = parsed.value;
  const negative = negativeBudget(data.max_budget, "auth_error");
  if (negative) return negative;
  const existing = state.getKey(data.key);
  if (!existing) {
    // Verbatim upstream: a missing *key* is reported with this team-flavoured text.
    return wrappedHttpException(
      404,
      `Team not found, passed team_id=${data.team_id ?? "None"}`,
      "auth_error",
    );
  }
  const older = olderTeamLookup.has(profile);
  // Current releases load the key's team (the new one, else its own) on every update, moved
  // or not: a missing one is get_team_object's 404, re-raised by update_key_fn as auth_error.
  const teamOfKey = data.team_id ?? existing.teamId;
  if (!older && teamOfKey !== null && !state.teams.has(teamOfKey)) {
    return proxyError(404, teamMissingText(teamOfKey), "auth_error");
  }
  if (data.team_id != null) {
    const changesTeam = existing.teamId === null || existing.teamId !== data.team_id;
    const target = state.teams.get(data.team_id);
    if (changesTeam) {
      if (!target) {
        return wrappedHttpException(
          500,
          "Team object not found for team change validation",
          "auth_error",
        );
      }
      // Checked after the team is loaded and before membership (update_key_fn).
      if (state.settings.noModels) {
        return wrappedHttpException(
          400,
          "LLM router not found. Please set it up by passing in a valid config.yaml or adding models via the UI.",
          "auth_error",
        );
      }
      // validate_key_team_change: the key's models must be open to the new team, then its
      // limits within the team's (the rpm check sits inside the tpm one upstream).
      const refused = keyTeamChangeRefusal(existing, target);
      if (refused) return refused;
      if (existing.userId !== null && !target.members.has(existing.userId)) {
        return proxyError(
          403,
          `User=${existing.userId} is not a member of the team=${data.team_id}. Check team members via \`/team/info\`.`,
          "auth_error",
        );
      }
    }
  }
  // prepare_key_update_data, before the alias checks: `duration` sets `expires` from now
  // (null or "-1": never; "" is skipped); `budget_duration` restarts the period from now
  // (null is dropped: no change). Its ValueError reaches update_key_fn's handler: 400
  // "Authentication Error, ..." (auth_error).
  const sent = body as Record<string, unknown>;
  const dates = keyDates(data, state.clock(), true);
  if ("error" in dates)
    return proxyError(400, `Authentication Error, ${dates.error}`, "auth_error");
  if (data.key_alias != null && data.key_alias !== existing.keyAlias) {
    const refused = invalidAlias(data.key_alias, traitsOf[profile]);
    if (refused) return refused;
  }
  if (data.key_alias != null) {
    const owner = state.aliasOwner(data.key_alias);
    if (owner !== undefined && owner !== existing.token) return aliasTaken(data.key_alias);
  }

  const updated: ContractKey = { ...existing, updatedAt: now() };
  const changed: Record<string, unknown> = {};
  if (data.team_id != null) changed.team_id = updated.teamId = data.team_id;
  if (data.key_alias != null) changed.key_alias = updated.keyAlias = data.key_alias;
  if (data.user_id != null) changed.user_id = updated.userId = data.user_id;
  if (data.metadata != null)
    changed.metadata = updated.metadata = { ...existing.metadata, ...data.metadata };
  if (data.allowed_routes != null)
    changed.allowed_routes = updated.allowedRoutes = data.allowed_routes;
  if (data.blocked != null) changed.blocked = updated.blocked = data.blocked;
  // Sent as null, a limit is cleared (exclude_unset keeps explicit nulls).
  if ("max_budget" in sent) changed.max_budget = updated.maxBudget = data.max_budget ?? null;
  if ("tpm_limit" in sent) changed.tpm_limit = updated.tpmLimit = data.tpm_limit ?? null;
  if ("rpm_limit" in sent) changed.rpm_limit = updated.rpmLimit = data.rpm_limit ?? null;
  if (data.models != null) changed.models = updated.models = data.models;
  if (data.spend != null) changed.spend = updated.spend = data.spend;
  // An empty `duration` is falsy upstream: no change.
  if ("duration" in sent && (data.duration == null || dates.expires !== undefined))
    changed.expires = updated.expires = dates.expires ?? null;
  if (dates.budgetResetAt !== undefined) {
    changed.budget_duration = updated.budgetDuration = data.budget_duration ?? null;
    changed.budget_reset_at = updated.budgetResetAt = dates.budgetResetAt;
  }
  state.putKey(updated);
  return ok({ key: data.key, ...changed });
};

/** Python's repr of a list of strings, as LiteLLM prints `models=[...]`. */
function pyList(items: readonly string[]): string {
  return `[${items.map((item) => `'${item}'`).join(", ")}]`;
}

/**
 * key_management_endpoints.py `validate_key_team_change`, for a key moving to `team`:
 * every model of the key must be one the team may call (`can_team_access_model`: a team
 * with no models may call all), else a 401 ProxyException `team_model_access_denied`; then
 * a key `tpm_limit` above the team's is a 403, and (only when the key has a tpm limit, as
 * upstream nests it) an `rpm_limit` above the team's too. Within one team LiteLLM checks
 * neither models nor budget against the team's when a key is created or updated.
 */
function keyTeamChangeRefusal(key: ContractKey, team: ContractTeam): WireResponse | undefined {
  const teamModels = team.models ?? [];
  if (teamModels.length > 0) {
    const denied = (key.models ?? []).find(
      (m) => m !== "all-team-models" && !teamModels.includes(m),
    );
    if (denied !== undefined) {
      return proxyError(
        401,
        `team not allowed to access model. This team can only access models=${pyList(teamModels)}. Tried to access ${denied}`,
        "team_model_access_denied",
        "model",
      );
    }
  }
  if (key.tpmLimit != null) {
    if (team.tpmLimit && key.tpmLimit > team.tpmLimit) {
      return proxyError(
        403,
        `Key=${key.token} has a tpm_limit=${key.tpmLimit} which is greater than the team's tpm_limit=${team.tpmLimit}.`,
        "auth_error",
      );
    }
    if (team.rpmLimit && key.rpmLimit && key.rpmLimit > team.rpmLimit) {
      return proxyError(
        403,
        `Key=${key.token} has a rpm_limit=${key.rpmLimit} which is greater than the team's rpm_limit=${team.rpmLimit}.`,
        "auth_error",
      );
    }
  }
  return undefined;
}

export const deleteKeys: RouteHandler = ({ state, profile }, { body }) => {
  const parsed = parseBody(zDeleteKeys, body);
  if (!parsed.ok) return parsed.response;
  const data = parsed.value;
  let requested: string[];
  if (data.keys && data.keys.length > 0) {
    requested = data.keys;
  } else if (data.key_aliases && data.key_aliases.length > 0) {
    requested = data.key_aliases;
  } else {
    // Upstream raises ValueError("Invalid request type"), which surfaces as a 500.
    return proxyError(500, "Invalid request type", "internal_server_error");
  }
  const tokens = data.keys?.length
    ? data.keys.map(tokenOf)
    : requested.flatMap((alias) => state.aliasOwner(alias) ?? []);
  const found = tokens.filter((token) => state.keys.has(token));
  if (found.length === 0) return wrappedHttpException(404, "No keys found");
  for (const token of found) state.deleteKey(token);
  if (traitsOf[profile].legacyDuplicates && found.length !== requested.length) {
    return wrappedHttpException(
      400,
      `Not all keys passed in were deleted. This probably means you don't have access to delete all the keys passed in. Keys passed in=${requested.length}, Deleted keys =${found.length}`,
    );
  }
  return ok({ deleted_keys: requested });
};

export const keyInfo: RouteHandler = ({ state }, { query }) => {
  // Without ?key= LiteLLM looks up the caller's own key: the master key, never a stored key.
  const key = query.get("key");
  const existing = key ? state.getKey(key) : undefined;
  if (!key || !existing)
    return proxyError(404, "Key not found in database", "not_found_error", "key");
  return ok({ key, info: keyRow(existing) });
};

/**
 * key_management_endpoints.py `block_key` / `unblock_key` (BlockKeyRequest: `key`, a secret
 * `sk-...` hashed or a token taken as is): set `blocked` and answer the key row. A missing
 * key: the update changes nothing and `get_key_object` raises 401 token_not_found_in_db
 * (the 404 "Key X not found" is only reached with Enterprise audit logs on).
 */
export function setKeyBlocked(blocked: boolean): RouteHandler {
  return ({ state }, { body }) => {
    const parsed = parseBody(zBlockKey, body);
    if (!parsed.ok) return parsed.response;
    const existing = state.getKey(parsed.value.key);
    if (!existing) {
      // block_key updates nothing, then `get_key_object` raises (the 404 "Key X not found"
      // is only reached with Enterprise audit logs on).
      return proxyError(
        401,
        `Authentication Error, Invalid proxy server token passed. key=${tokenOf(parsed.value.key)}, not found in db. Create key via \`/key/generate\` call.`,
        "token_not_found_in_db",
        "key",
      );
    }
    const updated: ContractKey = { ...existing, blocked, updatedAt: now() };
    state.putKey(updated);
    return ok({ ...keyRow(updated), token: updated.token });
  };
}

const zRegenerateKey = z.looseObject({
  key: zText,
  new_key: zText,
  new_master_key: zText,
  grace_period: zText,
});

/**
 * proxy/_types.py `CommonProxyErrors.not_premium_user` (current main; older releases link
 * `https://www.litellm.ai/#trial`).
 */
export const NOT_PREMIUM_USER =
  "You must be a LiteLLM Enterprise user to use this feature. If you have a license please set `LITELLM_LICENSE` in your env. Get a 7 day trial key here: https://www.litellm.ai/enterprise#trial. \nPricing: https://www.litellm.ai/#pricing";

/**
 * key_management_endpoints.py `regenerate_key_fn`, routed at `/key/regenerate` and
 * `/key/{key:path}/regenerate` (`pathKey`). Every call is counted
 * (`state.regenerateCalls`). Without a licence the very first check raises
 * `ValueError("Regenerating Virtual Keys is an Enterprise feature, " + not_premium_user)`,
 * which `handle_exception_on_proxy` answers as a 500 ProxyException, type
 * internal_server_error, param "None" (the client reads it as `premium_feature`). With one
 * (`enterprise`): the key (body `key`, else the path) is required (400 "No key passed in."),
 * looked up by hash when it contains "sk" (404 "Key K not found."), `new_key` must start
 * with `sk-`, and the row moves to the new secret's hash; the old secret stops working at
 * once (`grace_period` and master key rotation are not imitated).
 */
export function regenerateKey(pathKey: string | null): RouteHandler {
  return ({ state, profile }, { body }) => {
    state.regenerateCalls += 1;
    let data: z.infer<typeof zRegenerateKey> | null = null;
    if (body !== undefined) {
      const parsed = parseBody(zRegenerateKey, body);
      if (!parsed.ok) return parsed.response;
      data = parsed.value;
    }
    if (!traitsOf[profile].premium) {
      return proxyError(
        500,
        `Regenerating Virtual Keys is an Enterprise feature, ${NOT_PREMIUM_USER}`,
        "internal_server_error",
      );
    }
    const key = data?.key || pathKey;
    if (!key) return wrappedHttpException(400, "No key passed in.");
    const hashed = key.includes("sk") ? hashToken(key) : key;
    const existing = state.keys.get(hashed);
    if (!existing) return wrappedHttpException(404, `Key ${key} not found.`);
    if (data?.new_key != null && !data.new_key.startsWith("sk-")) {
      return wrappedHttpException(
        400,
        "New key must start with 'sk-'. This is to distinguish a key hash (used by litellm for logging / internal logic) from the actual key.",
      );
    }
    const secret = data?.new_key ?? `sk-${randomBytes(16).toString("base64url")}`;
    const token = hashToken(secret);
    const moved: ContractKey = {
      ...existing,
      token,
      keyName: `sk-...${secret.slice(-4)}`,
      updatedAt: now(),
    };
    state.deleteKey(existing.token);
    state.putKey(moved);
    return ok({ ...keyRow(moved), key: secret, token_id: token });
  };
}

/**
 * The checks `user_api_key_auth` (auth/user_api_key_auth.py) and `common_checks`
 * (auth/auth_checks.py) make of a virtual key before any model route, as far as the double
 * models key use, in their order: unknown key 401 (answered by the server, the same as a
 * wrong master key); blocked key 401 "Key is blocked"; expired key 401 `expired_key`
 * (ProxyException code 400 in the source, answered 401 by current releases' auth
 * exception handler); the key's budget; a blocked team 401; the team's budget; the
 * member's budget in the team (budgets: 400 `budget_exceeded` "Budget has been exceeded!
 * ..." in auth_checks.py's words). Messages of the blocked cases are ASSUMED. Rate limits
 * and model access are not checked (no model traffic; spend is set by tests).
 */
export function virtualKeyRefusal(
  state: ContractState,
  presented: string,
): WireResponse | undefined {
  const key = state.getKey(presented);
  if (!key) return undefined;
  if (key.blocked === true) {
    return proxyError(
      401,
      "Authentication Error, Key is blocked. Update via `/key/unblock` if you're an admin.",
      "auth_error",
    );
  }
  const at = state.clock();
  if (state.isExpired(key, at)) {
    return proxyError(
      401,
      `Authentication Error - Expired Key. Key Expiry time ${pyDatetime(key.expires!)} and current time ${pyDatetime(at.toISOString())}`,
      "expired_key",
      key.keyName,
    );
  }
  // user_api_key_auth "Check 4": the key's own budget (spend >= max_budget).
  const keySpend = key.spend ?? 0;
  if (key.maxBudget != null && keySpend >= key.maxBudget) {
    return overBudget(
      `Budget has been exceeded! Current cost: ${pyFloat(keySpend)}, Max budget: ${pyFloat(key.maxBudget)}`,
    );
  }
  const team = key.teamId === null ? undefined : state.teams.get(key.teamId);
  if (team?.blocked === true) {
    return proxyError(
      401,
      `Authentication Error, Team=${team.teamId} is blocked. Update via \`/team/unblock\` if your admin.`,
      "auth_error",
    );
  }
  // common_checks: `_team_max_budget_check` (spend > max_budget, strictly), then
  // `_check_team_member_budget` (the member's spend in the team >= max_budget_in_team).
  if (team?.maxBudget != null && (team.spend ?? 0) > team.maxBudget) {
    return overBudget(
      `Budget has been exceeded! Team=${team.teamId} Current cost: ${pyFloat(team.spend ?? 0)}, Max budget: ${pyFloat(team.maxBudget)}`,
    );
  }
  const membership = key.userId === null ? undefined : team?.memberships?.get(key.userId);
  if (membership?.maxBudgetInTeam != null && membership.spend >= membership.maxBudgetInTeam) {
    return overBudget(
      `Budget has been exceeded! User=${membership.userId} in Team=${team!.teamId} Current cost: ${pyFloat(membership.spend)}, Max budget: ${pyFloat(membership.maxBudgetInTeam)}`,
    );
  }
  return undefined;
}

/** litellm.BudgetExceededError as the proxy answers it: 400, type `budget_exceeded`. */
function overBudget(message: string): WireResponse {
  return proxyError(400, message, "budget_exceeded");
}

/** Python's `str(datetime)` of an aware UTC time: `2026-10-04 03:47:58.123000+00:00`. */
function pyDatetime(iso: string): string {
  const date = new Date(iso);
  const base = date.toISOString().slice(0, 19).replace("T", " ");
  const ms = date.getUTCMilliseconds();
  return `${base}${ms === 0 ? "" : `.${String(ms * 1000).padStart(6, "0")}`}+00:00`;
}

/**
 * `GET /v1/models` (and `/models`), an LLM route a key restricted to `llm_api_routes` may
 * call: the double's one model route, so tests can tell a working secret from a retired,
 * blocked or expired one. Answers the models the key may call: its own `models`, else its
 * team's, else the proxy's (`settings.models`).
 */
export const listModels: RouteHandler = ({ state }, { apiKey }) => {
  const key = apiKey === undefined ? undefined : state.getKey(apiKey);
  const team = key?.teamId == null ? undefined : state.teams.get(key.teamId);
  const models = key?.models?.length
    ? key.models
    : team?.models?.length
      ? team.models
      : state.settings.models;
  return ok({
    object: "list",
    data: models.map((id) => ({ id, object: "model", created: 1677610602, owned_by: "openai" })),
  });
};
