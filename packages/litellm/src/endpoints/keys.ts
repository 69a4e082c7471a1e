/**
 * The key endpoints of a proxy: generate, update (move, rename, owner, routes), block,
 * delete, info.
 */
import { createHash } from "node:crypto";
import { LiteLLMError } from "../errors.ts";
import { invalidInput, requireText, type ProxyCall } from "../proxy-call.ts";
import type {
  DeleteKeysInput,
  DeletedKeys,
  GenerateKeyInput,
  GeneratedKey,
  KeyCheck,
  KeyInfo,
  KeyLimitsInput,
  UpdateKeyInput,
  UpdateKeyLimitsInput,
  UpdatedKey,
  UpdatedKeyLimits,
} from "../types.ts";
import { zAnyObject, zDeletedKeys, zGeneratedKey, zKeyInfo, zUpdatedKey } from "./schemas.ts";

/**
 * LiteLLM identifies a key by the sha256 hex of its secret and accepts either form wherever
 * a key is named (it hashes values starting with `sk-`). Gatehouse stores only this id.
 */
export function litellmKeyToken(secretOrToken: string): string {
  return secretOrToken.startsWith("sk-")
    ? createHash("sha256").update(secretOrToken).digest("hex")
    : secretOrToken;
}

/** POST /key/block or /key/unblock by token id or secret; `key_not_found` if it is missing. */
export async function setKeyBlocked(
  proxy: ProxyCall,
  key: string,
  blocked: boolean,
): Promise<void> {
  const operation = blocked ? "blockKey" : "unblockKey";
  requireText(operation, { key });
  await proxy.call(operation, "POST", blocked ? "/key/block" : "/key/unblock", zAnyObject, {
    key,
  });
}

/** POST /key/generate. The returned secret is shown once; store only `token`. */
export async function generateKey(
  proxy: ProxyCall,
  input: GenerateKeyInput,
): Promise<GeneratedKey> {
  requireText("generateKey", {
    keyAlias: input.keyAlias,
    teamId: input.teamId,
    userId: input.userId,
  });
  const body = await proxy.call("generateKey", "POST", "/key/generate", zGeneratedKey, {
    ...(input.key ? { key: input.key } : {}),
    key_alias: input.keyAlias,
    team_id: input.teamId,
    user_id: input.userId,
    metadata: input.metadata ?? {},
    ...(input.allowedRoutes ? { allowed_routes: [...input.allowedRoutes] } : {}),
    ...(input.blocked ? { blocked: true } : {}),
    ...(input.limits ? keyLimitsBody("generateKey", input.limits) : {}),
    ...(input.expiresAt !== undefined
      ? { duration: durationUntil("generateKey", input.expiresAt) }
      : {}),
  });
  // `token_id` is the hash in every version; `token` is the hash in current ones but was
  // the secret in old ones, so it is only trusted when it differs from the secret.
  const token =
    body.token_id ??
    (body.token && body.token !== body.key ? body.token : litellmKeyToken(body.key));
  return {
    key: body.key,
    token,
    keyAlias: body.key_alias ?? null,
    teamId: body.team_id ?? null,
    userId: body.user_id ?? null,
    expiresAt: body.expires ?? null,
    budgetResetAt: body.budget_reset_at ?? null,
  };
}

/**
 * POST /key/update. Moving a key (`teamId`) needs the target team to exist and the key's
 * owner to be a member of it: otherwise `not_found`/`team_not_found` or
 * `rejected`/`not_team_member`. Repeating a finished move is a no-op for LiteLLM.
 */
export async function updateKey(proxy: ProxyCall, input: UpdateKeyInput): Promise<UpdatedKey> {
  requireText("updateKey", { key: input.key });
  if (
    input.teamId === undefined &&
    input.keyAlias === undefined &&
    input.userId === undefined &&
    input.allowedRoutes === undefined
  ) {
    invalidInput(
      "updateKey",
      "nothing to update: give teamId, keyAlias, userId and/or allowedRoutes",
    );
  }
  const payload: Record<string, string | string[]> = { key: input.key };
  if (input.allowedRoutes !== undefined) payload.allowed_routes = [...input.allowedRoutes];
  if (input.teamId !== undefined)
    payload.team_id = requireText("updateKey", { teamId: input.teamId });
  if (input.keyAlias !== undefined) {
    payload.key_alias = requireText("updateKey", { keyAlias: input.keyAlias });
  }
  // The key's owner on the proxy (LiteLLM's user_id), e.g. after a transfer.
  if (input.userId !== undefined)
    payload.user_id = requireText("updateKey", { userId: input.userId });
  const body = await proxy.call("updateKey", "POST", "/key/update", zUpdatedKey, payload);
  const result: UpdatedKey = { token: litellmKeyToken(input.key) };
  if (body.team_id !== undefined) result.teamId = body.team_id;
  if (body.key_alias !== undefined) result.keyAlias = body.key_alias;
  return result;
}

/**
 * The wire fields of a key's limits: only those given are sent, so an update leaves the
 * others as they are (LiteLLM updates the fields present, and a sent null clears).
 */
function keyLimitsBody(
  operation: "generateKey" | "updateKey",
  limits: KeyLimitsInput,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (limits.maxBudgetUsd !== undefined) {
    if (limits.maxBudgetUsd !== null && !(limits.maxBudgetUsd >= 0))
      invalidInput(operation, "maxBudgetUsd must be a non-negative number");
    body.max_budget = limits.maxBudgetUsd;
  }
  if (limits.budgetDuration !== undefined) {
    if (!KEY_DURATION.test(limits.budgetDuration))
      invalidInput(operation, "budgetDuration must look like 30s, 30m, 1h, 1d, 7d, 30d or 1mo");
    body.budget_duration = limits.budgetDuration;
  }
  for (const [field, wire] of [
    ["tpmLimit", "tpm_limit"],
    ["rpmLimit", "rpm_limit"],
  ] as const) {
    const value = limits[field];
    if (value === undefined) continue;
    if (value !== null && !(Number.isInteger(value) && value >= 0))
      invalidInput(operation, `${field} must be a non-negative integer`);
    body[wire] = value;
  }
  if (limits.models !== undefined) body.models = [...limits.models];
  return body;
}

/** The budget durations LiteLLM parses (duration_parser.py); others fail on the proxy. */
const KEY_DURATION = /^\d+(s|m|h|d|w|mo)$/;

/**
 * `expiresAt` as the `duration` LiteLLM takes: whole seconds from now, rounded up so the
 * key never expires before the instant asked for.
 */
function durationUntil(operation: "generateKey" | "updateKey", expiresAt: Date): string {
  const ms = expiresAt.getTime() - Date.now();
  if (!Number.isFinite(ms) || ms <= 0) invalidInput(operation, "expiresAt must be in the future");
  return `${Math.ceil(ms / 1000)}s`;
}

/**
 * POST /key/update of a key's own limits and expiry (only the fields given are sent).
 * LiteLLM accepts limits above the team's and models the team lacks: check them first.
 * `expiresAt` travels as a `duration` from now (LiteLLM ignores `expires`); null = never.
 */
export async function updateKeyLimits(
  proxy: ProxyCall,
  input: UpdateKeyLimitsInput,
): Promise<UpdatedKeyLimits> {
  requireText("updateKey", { key: input.key });
  const payload: Record<string, unknown> = {
    key: input.key,
    ...(input.limits ? keyLimitsBody("updateKey", input.limits) : {}),
  };
  if (input.expiresAt !== undefined) {
    payload.duration =
      input.expiresAt === null ? null : durationUntil("updateKey", input.expiresAt);
  }
  if (Object.keys(payload).length === 1)
    invalidInput("updateKey", "nothing to update: give limits and/or expiresAt");
  const body = await proxy.call("updateKey", "POST", "/key/update", zUpdatedKey, payload);
  const result: UpdatedKeyLimits = { token: litellmKeyToken(input.key) };
  if (body.expires !== undefined) result.expiresAt = body.expires;
  if (body.budget_reset_at !== undefined) result.budgetResetAt = body.budget_reset_at;
  return result;
}

/** POST /key/delete. Fails with `not_found`/`key_not_found` when none of the keys exist. */
export async function deleteKeys(proxy: ProxyCall, input: DeleteKeysInput): Promise<DeletedKeys> {
  if (input.keys.length === 0) invalidInput("deleteKeys", "keys must not be empty");
  for (const key of input.keys) requireText("deleteKeys", { key });
  const body = await proxy.call("deleteKeys", "POST", "/key/delete", zDeletedKeys, {
    keys: [...input.keys],
  });
  return { deletedKeys: body.deleted_keys };
}

/** GET /key/info?key=... by token id or secret. */
export async function keyInfo(proxy: ProxyCall, key: string): Promise<KeyInfo> {
  requireText("keyInfo", { key });
  const body = await proxy.call(
    "keyInfo",
    "GET",
    `/key/info?key=${encodeURIComponent(key)}`,
    zKeyInfo,
  );
  return {
    token: litellmKeyToken(key),
    keyAlias: body.info.key_alias ?? null,
    keyName: body.info.key_name ?? null,
    teamId: body.info.team_id ?? null,
    userId: body.info.user_id ?? null,
    metadata: body.info.metadata ?? {},
    blocked: body.info.blocked ?? false,
    allowedRoutes: body.info.allowed_routes ?? [],
    spend: body.info.spend ?? null,
    maxBudgetUsd: body.info.max_budget ?? null,
    budgetDuration: body.info.budget_duration ?? null,
    budgetResetAt: body.info.budget_reset_at ?? null,
    tpmLimit: body.info.tpm_limit ?? null,
    rpmLimit: body.info.rpm_limit ?? null,
    models: body.info.models ?? [],
    expiresAt: body.info.expires ?? null,
  };
}

/**
 * GET /v1/models authenticated as `secret` itself: whether the proxy lets that secret in
 * now (user_api_key_auth's checks: known, not blocked, its team not blocked, not expired).
 * E.g. to confirm a rotated-in secret works before the old one is deleted. Budgets and
 * rate limits are not part of the answer. Network and server failures throw as usual.
 */
export async function checkKey(proxy: ProxyCall, secret: string): Promise<KeyCheck> {
  requireText("checkKey", { secret });
  try {
    await proxy.call("checkKey", "GET", "/v1/models", zAnyObject, undefined, { bearer: secret });
    return { usable: true };
  } catch (error) {
    if (!(error instanceof LiteLLMError)) throw error;
    if (error.status === 400 && error.litellmType === "budget_exceeded")
      return { usable: false, reason: "over_budget" };
    if (error.status !== 401) throw error;
    if (error.litellmType === "expired_key" || /Expired Key/i.test(error.litellmMessage ?? ""))
      return { usable: false, reason: "expired" };
    if (/is blocked/i.test(error.litellmMessage ?? "")) return { usable: false, reason: "blocked" };
    return { usable: false, reason: "unknown" };
  }
}
