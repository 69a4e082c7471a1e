/**
 * The six LiteLLM management endpoints Gatehouse uses, modelled on LiteLLM's own code paths
 * (litellm/proxy/management_endpoints/{team,key_management}_endpoints.py, auth_checks.py),
 * called as the proxy admin (master key). Each handler is a pure function of the state and
 * the request, so the HTTP layer (server.ts) only does transport, auth and faults.
 *
 * VERIFIED against LiteLLM source (messages copied, status as LiteLLM computes it):
 * - /team/new, existing team_id: 400 "Team id = X already exists. Please use a different
 *   team id." (wrapped as `{'error': ...}`; also confirmed by a measurement on v1.92).
 * - /team/member_add, duplicates (type `team_member_already_in_team`, 400): current code
 *   fails only when every listed member is present ("All users are already in team...")
 *   or the single member is ("User already in team. Member: ..."), and adds the rest
 *   otherwise; older code ("User with user_id=X already in team...") failed on any
 *   duplicate — available as `profile: "legacy"`.
 * - /key/update: key not found -> 404 whose text is, verbatim, "Team not found, passed
 *   team_id=..." (an upstream quirk); current releases load the key's team (the new one,
 *   else its own) on every call: missing -> 404 "Team doesn't exist in db..." even for an
 *   alias-only update (older ones, `legacy`: only on a team change, 500 "Team object not
 *   found for team change validation"); a team change on a proxy without models -> 400
 *   "LLM router not found" before the membership check; owner not a member of the new team
 *   -> 403 "User=U is not a member of the team=T. Check team members via `/team/info`.";
 *   no membership validation when the team does not change (a repeated move succeeds).
 * - /key/generate with a secret that exists: proxy/utils.py `insert_data` upserts with
 *   `update: {}`, so 200, the request echoed, nothing changed.
 * - /key/block, /key/unblock of a missing key: 401 token_not_found_in_db from
 *   auth_checks.py `get_key_object` ("...key=H, not found in db...").
 * - /team/new, /team/update with budget_duration: `budget_reset_at` from
 *   duration_parser.py `get_next_standardized_reset_time` (see budgetResetAt).
 * - key aliases are unique across all keys (400 "Key with alias 'A' already exists. Unique
 *   key aliases across all keys are required.") on generate and update.
 * - /key/delete: 404 "No keys found" only when none of the keys exist; for the proxy admin
 *   the found ones are deleted and `deleted_keys` echoes the request.
 * - /key/info: 404 "Key not found in database" (type not_found_error, param key); the
 *   hashed token is removed from `info`.
 * - keys are identified by sha256(secret); `sk-...` inputs are hashed; `/key/generate`
 *   returns `key` (secret), `token` and `token_id` (the hash), `key_name` "sk-...XXXX".
 *
 * DELIBERATELY STRICTER than a default LiteLLM: /key/generate with a team_id that does not
 * exist fails (400 "Unable to find team object in database. Team ID: X", LiteLLM's message
 * when `key_generation_settings` is set or the caller is not an admin). A default proxy lets
 * the admin mint such a key, which then fails at use ("Team doesn't exist in db"); Gatehouse
 * must never rely on that, and this makes a missing ensureTeam visible in tests.
 *
 * PROFILES (see README.md for the behaviour -> LiteLLM function -> profile table):
 * - `oss` (default): current open-source LiteLLM, no licence. `/team/member_add` with a
 *   `role: "admin"` member is refused first (team_endpoints.py
 *   `team_call_validation_checks` -> `_check_team_member_admin_add`: HTTPException 400
 *   `{"detail": {"error": "Assigning team admins is a premium feature. ..."}}`).
 * - `enterprise`: the same with a licence (`premium_user`): team admins allowed.
 * - `strict-alias`: open source v1.82.0, which validated every key alias against
 *   `^[a-zA-Z0-9][a-zA-Z0-9_\-/\.]{0,253}[a-zA-Z0-9]$` (key_management_endpoints.py
 *   `_validate_key_alias_format`; later opt-in via `enable_key_alias_format_validation`).
 * - `legacy`: open source before the duplicate-member change (see above).
 * Every profile refuses an alias containing `..` (current main rejects path traversal in
 * aliases whatever the configured pattern allows; the exact message is ASSUMED).
 *
 * A missing team on /team/member_add: `get_team_object` raised a plain `Exception` for
 * a long range of releases, which nothing catches on that route: Starlette's
 * `500 Internal Server Error` (text/plain), kept by `legacy`. Current releases raise
 * HTTPException 404 "Team doesn't exist in db..." (FastAPI's `{"detail": {"error": ...}}`);
 * the client classifies both as team_not_found.
 *
 * ASSUMED (not verified): teams created with the master key get the proxy admin
 * ("default_user_id") as an admin member; legacy /key/delete deleted what it found and then
 * failed with "Not all keys passed in were deleted"; `Member.role` is required; the body
 * of /team/delete (`{"deleted_teams": [...]}`).
 *
 * Issue 26 (key limits, lifetime, rotation, member budgets; read from
 * key_management_endpoints.py, team_endpoints.py, _types.py, duration_parser.py,
 * reset_budget_job.py, user_api_key_auth.py): VERIFIED `max_budget` < 0 refused first;
 * the non-`sk-` secret message (masked); `duration` -> `expires` = now +
 * `duration_in_seconds` and its ValueErrors; `expires` is no request field; a null
 * `budget_duration` on update is dropped; key budget/models are not checked against the
 * team except on a team change (`validate_key_team_change`); `/key/regenerate` without a
 * licence raises ValueError before anything else (500 via handle_exception_on_proxy);
 * `/team/member_update` is open source except `role: "admin"`, replaces the member budget
 * whole; the reset job's selection and next date. ASSUMED: the messages for a blocked key
 * or team on use; the field order of the request printed in "User id doesn't exist in
 * team table. Data=..."; which not_premium_user wording a given release prints.
 *
 * /key/update with `user_id` sets the key's owner with no membership check: `update_key_fn`
 * refuses a new owner only to callers that are not the proxy admin (the master key is), and
 * checks membership only on a team change (Gatehouse parks a leaver's keys on a placeholder
 * owner before /team/member_delete this way, and gives them back the same way).
 */
import { teamDailyActivity } from "./activity-routes.ts";
import {
  deleteKeys,
  generateKey,
  keyInfo,
  listModels,
  regenerateKey,
  setKeyBlocked,
  updateKey,
} from "./key-routes.ts";
import type { RouteHandler } from "./route-kit.ts";
import {
  deleteTeams,
  newTeam,
  setTeamBlocked,
  teamInfo,
  teamMemberAdd,
  teamMemberDelete,
  teamMemberUpdate,
  updateTeam,
} from "./team-routes.ts";

export interface LiteLLMRoute {
  method: "GET" | "POST";
  handler: RouteHandler;
  /**
   * `virtual-key`: a model route, callable with a virtual key as well as the master key
   * (user_api_key_auth's checks of the key run first). Else master key only.
   */
  auth?: "master-key" | "virtual-key";
}

/** Method and handler per path; other methods on a known path answer 405 like FastAPI. */
export const liteLLMRoutes: ReadonlyMap<string, LiteLLMRoute> = new Map<string, LiteLLMRoute>([
  ["/team/new", { method: "POST", handler: newTeam }],
  ["/team/member_add", { method: "POST", handler: teamMemberAdd }],
  ["/team/member_delete", { method: "POST", handler: teamMemberDelete }],
  ["/team/update", { method: "POST", handler: updateTeam }],
  ["/team/delete", { method: "POST", handler: deleteTeams }],
  ["/team/info", { method: "GET", handler: teamInfo }],
  ["/team/block", { method: "POST", handler: setTeamBlocked(true) }],
  ["/team/unblock", { method: "POST", handler: setTeamBlocked(false) }],
  ["/key/block", { method: "POST", handler: setKeyBlocked(true) }],
  ["/key/unblock", { method: "POST", handler: setKeyBlocked(false) }],
  ["/key/generate", { method: "POST", handler: generateKey }],
  ["/key/update", { method: "POST", handler: updateKey }],
  ["/key/delete", { method: "POST", handler: deleteKeys }],
  ["/key/info", { method: "GET", handler: keyInfo }],
  ["/team/member_update", { method: "POST", handler: teamMemberUpdate }],
  ["/key/regenerate", { method: "POST", handler: regenerateKey(null) }],
  ["/v1/models", { method: "GET", handler: listModels, auth: "virtual-key" }],
  ["/models", { method: "GET", handler: listModels, auth: "virtual-key" }],
  ["/team/daily/activity", { method: "GET", handler: teamDailyActivity }],
]);

const KEY_PATH_REGENERATE = /^\/key\/(.+)\/regenerate$/;

/** Routes with a path parameter: `/key/{key:path}/regenerate`. */
export function pathRoute(path: string): LiteLLMRoute | undefined {
  const match = KEY_PATH_REGENERATE.exec(path);
  if (!match) return undefined;
  let key: string;
  try {
    key = decodeURIComponent(match[1]!);
  } catch {
    key = match[1]!;
  }
  return { method: "POST", handler: regenerateKey(key) };
}
