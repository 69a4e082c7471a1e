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
import { hashToken, tokenOf, type ContractKey } from "./state.ts";
import { parseBody, proxyError, wrappedHttpException, type WireResponse } from "./wire.ts";

const zBlockKey = z.looseObject({ key: z.string() });
const zGenerateKey = z.looseObject({
  key: zText,
  key_alias: zText,
  team_id: zText,
  user_id: zText,
  metadata: zMetadata,
  allowed_routes: z.array(z.string()).nullish(),
  blocked: z.boolean().nullish(),
});
const zUpdateKey = z.looseObject({
  key: z.string(),
  key_alias: zText,
  team_id: zText,
  user_id: zText,
  metadata: zMetadata,
  allowed_routes: z.array(z.string()).nullish(),
  blocked: z.boolean().nullish(),
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

export const generateKey: RouteHandler = ({ state, profile }, { body }) => {
  const parsed = parseBody(zGenerateKey, body);
  if (!parsed.ok) return parsed.response;
  const data = parsed.value;
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
  // LiteLLM: a caller-chosen `key` must look like a virtual key; else
  // f"sk-{secrets.token_urlsafe(16)}". A duplicate secret violates the token's unique
  // index, which LiteLLM reports as a 500.
  if (data.key != null && !data.key.startsWith("sk-")) {
    return proxyError(
      400,
      `Invalid key format. LiteLLM Virtual Key must start with 'sk-'. Received=${data.key.slice(0, 3)}...`,
      "bad_request_error",
      "key",
    );
  }
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
      if (existing.userId !== null && !target.members.has(existing.userId)) {
        return proxyError(
          403,
          `User=${existing.userId} is not a member of the team=${data.team_id}. Check team members via \`/team/info\`.`,
          "auth_error",
        );
      }
    }
  }
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
  state.putKey(updated);
  return ok({ key: data.key, ...changed });
};

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
