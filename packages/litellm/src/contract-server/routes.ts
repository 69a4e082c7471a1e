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
 * /key/update with `user_id` sets the key's owner with no membership check: `update_key_fn`
 * refuses a new owner only to callers that are not the proxy admin (the master key is), and
 * checks membership only on a team change (Gatehouse parks a leaver's keys on a placeholder
 * owner before /team/member_delete this way, and gives them back the same way).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";
import {
  hashToken,
  memberKey,
  tokenOf,
  type ContractKey,
  type ContractState,
  type ContractTeam,
  type ContractTeamMember,
} from "./state.ts";
import {
  fastapiDetail,
  parseBody,
  proxyError,
  pyDict,
  uncaughtException,
  wrappedHttpException,
  type WireResponse,
} from "./wire.ts";

/** Which LiteLLM the double imitates where versions and licences differ (header above). */
export const contractProfiles = ["oss", "enterprise", "strict-alias", "legacy"] as const;
export type ContractProfile = (typeof contractProfiles)[number];

interface ProfileTraits {
  /** An Enterprise licence (`premium_user`): team admins may be assigned. */
  premium: boolean;
  /** v1.82.0's built-in alias format check on every alias. */
  aliasFormat: boolean;
  /** Older duplicate-member and partial-delete answers. */
  legacyDuplicates: boolean;
  /**
   * `/team/member_delete` also deletes the member's keys in the team (LiteLLM pull request
   * 17057, November 2025); releases before it keep them.
   */
  memberDeleteDeletesKeys: boolean;
}

const traitsOf: Record<ContractProfile, ProfileTraits> = {
  oss: {
    premium: false,
    aliasFormat: false,
    legacyDuplicates: false,
    memberDeleteDeletesKeys: true,
  },
  enterprise: {
    premium: true,
    aliasFormat: false,
    legacyDuplicates: false,
    memberDeleteDeletesKeys: true,
  },
  "strict-alias": {
    premium: false,
    aliasFormat: true,
    legacyDuplicates: false,
    memberDeleteDeletesKeys: true,
  },
  legacy: {
    premium: false,
    aliasFormat: false,
    legacyDuplicates: true,
    memberDeleteDeletesKeys: false,
  },
};

/**
 * Profiles imitating releases from before `get_team_object` raised a 404 HTTPException:
 * `/team/member_add` on a missing team is a bare 500, and `/key/update` loads the team only
 * when the key changes team (500 "Team object not found for team change validation").
 */
const olderTeamLookup: ReadonlySet<ContractProfile> = new Set(["legacy"]);

export function isContractProfile(value: string): value is ContractProfile {
  return (contractProfiles as readonly string[]).includes(value);
}

export interface RouteContext {
  state: ContractState;
  profile: ContractProfile;
  /** user_id LiteLLM attaches to master-key calls; added as team admin on /team/new. */
  masterKeyUserId: string | null;
}

export interface RouteRequest {
  body: unknown;
  query: URLSearchParams;
}

export type RouteHandler = (ctx: RouteContext, request: RouteRequest) => WireResponse;

const zText = z.string().nullish();
const zMetadata = z.record(z.string(), z.unknown()).nullish();
const zMember = z
  .looseObject({ user_id: zText, user_email: zText, role: z.enum(["admin", "user"]) })
  .refine((m) => m.user_id != null || m.user_email != null, {
    message: "Either user_id or user_email must be provided",
  });
type WireMember = z.infer<typeof zMember>;

// The budget and limit fields NewTeamRequest / UpdateTeamRequest declare (pydantic types:
// Optional[float], Optional[str], Optional[int], Optional[list], Optional[bool]).
const teamSettingFields = {
  max_budget: z.number().nullish(),
  budget_duration: zText,
  tpm_limit: z.int().nullish(),
  rpm_limit: z.int().nullish(),
  models: z.array(z.string()).nullish(),
  blocked: z.boolean().nullish(),
};
const zNewTeam = z.looseObject({
  team_id: zText,
  team_alias: zText,
  members_with_roles: z.array(zMember).nullish(),
  metadata: zMetadata,
  ...teamSettingFields,
});
const zUpdateTeam = z.looseObject({
  team_id: z.string(),
  team_alias: zText,
  metadata: zMetadata,
  ...teamSettingFields,
});
const zDeleteTeams = z.looseObject({ team_ids: z.array(z.string()) });
const zBlockTeam = z.looseObject({ team_id: z.string() });
const zBlockKey = z.looseObject({ key: z.string() });
// `member` is a Member or a list of them. Two schemas chosen by shape (rather than a zod
// union, which reports both alternatives) keep validation errors pointing at the right
// place; both are built once because zod compiles an object schema on first use.
const zMemberAddList = z.looseObject({ team_id: z.string(), member: z.array(zMember) });
const zMemberAddSingle = z.looseObject({ team_id: z.string(), member: zMember });
const zMemberDelete = z.looseObject({ team_id: zText, user_id: zText, user_email: zText });
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

const now = (): string => new Date().toISOString();
const ok = (body: unknown): WireResponse => ({ status: 200, body });

function pyStr(value: string | null): string {
  return value === null ? "None" : `'${value}'`;
}

const MEMBERS_IN_MESSAGE = 10;

/**
 * Python repr of the members list, as LiteLLM embeds it in duplicate-member messages.
 * LiteLLM prints every member; this stops at 10 so the answer stays small on big teams
 * (the part clients match on is the prefix, not the list).
 */
function membersRepr(team: ContractTeam): string {
  const items: string[] = [];
  for (const m of team.members.values()) {
    if (items.length === MEMBERS_IN_MESSAGE) {
      items.push("...");
      break;
    }
    items.push(
      `Member(user_email=${pyStr(m.userEmail)}, user_id=${pyStr(m.userId)}, role='${m.role}')`,
    );
  }
  return `[${items.join(", ")}]`;
}

function toMember(wire: WireMember): ContractTeamMember {
  return { userId: wire.user_id ?? null, userEmail: wire.user_email ?? null, role: wire.role };
}

function findExisting(team: ContractTeam, member: ContractTeamMember): boolean {
  if (member.userId !== null && team.members.has(member.userId)) return true;
  if (member.userEmail === null) return false;
  for (const existing of team.members.values()) {
    if (existing.userEmail === member.userEmail) return true;
  }
  return false;
}

export function teamRow(team: ContractTeam): Record<string, unknown> {
  return {
    team_id: team.teamId,
    team_alias: team.teamAlias,
    organization_id: null,
    admins: [],
    members: [],
    members_with_roles: [...team.members.values()].map((m) => ({
      user_id: m.userId,
      user_email: m.userEmail,
      role: m.role,
    })),
    metadata: team.metadata,
    tpm_limit: team.tpmLimit ?? null,
    rpm_limit: team.rpmLimit ?? null,
    max_budget: team.maxBudget ?? null,
    budget_duration: team.budgetDuration ?? null,
    models: team.models ?? [],
    blocked: team.blocked ?? false,
    spend: team.spend ?? 0,
    budget_reset_at: team.budgetResetAt ?? null,
    created_at: team.createdAt,
  };
}

export function keyRow(key: ContractKey): Record<string, unknown> {
  return {
    key_name: key.keyName,
    key_alias: key.keyAlias,
    team_id: key.teamId,
    user_id: key.userId,
    metadata: key.metadata,
    models: [],
    spend: key.spend ?? 0,
    max_budget: null,
    expires: null,
    blocked: key.blocked ?? null,
    allowed_routes: key.allowedRoutes ?? [],
    created_at: key.createdAt,
    updated_at: key.updatedAt,
  };
}

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

/** LiteLLM's `duration_in_seconds` units; anything else raises ValueError (an uncaught 500). */
const BUDGET_DURATION = /^\d+(s|m|h|d|w|mo)$/;

const DAY_MS = 86_400_000;

/**
 * `get_budget_reset_time` -> duration_parser.py `get_next_standardized_reset_time` (UTC, the
 * default timezone): 1d is the next midnight, 7d the next Monday, 30d the 1st of next month,
 * any other N d (and N w, as 7N days) midnight today plus N days; hours, minutes and seconds
 * align to the next multiple; `mo` is the 1st of next month and only 1mo is accepted
 * (ValueError otherwise: an uncaught 500, reported as null here and refused by the caller).
 */
export function budgetResetAt(duration: string, now: Date): string | null {
  const match = /^(\d+)(mo|[smhdw])$/.exec(duration);
  if (!match) return null;
  const value = Number(match[1]);
  const unit = match[2]!;
  if (value === 0) return now.toISOString();
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const nextMonth = () => Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  const days = unit === "w" ? value * 7 : value;
  let at: number;
  switch (unit) {
    case "d":
    case "w":
      if (days === 1) at = midnight + DAY_MS;
      else if (days === 7) {
        // Python's weekday(): Monday 0 ... Sunday 6; today being Monday means next week's.
        const weekday = (now.getUTCDay() + 6) % 7;
        at = midnight + ((7 - weekday) % 7 || 7) * DAY_MS;
      } else if (days === 30) at = nextMonth();
      else at = midnight + days * DAY_MS;
      break;
    case "h":
    case "m":
    case "s": {
      const unitMs = unit === "h" ? 3_600_000 : unit === "m" ? 60_000 : 1000;
      const within = unit === "h" ? DAY_MS : unit === "m" ? 3_600_000 : 60_000;
      // Aligned to the next multiple of `value` within the enclosing day/hour/minute.
      const base = now.getTime() - (now.getTime() % within);
      const current = Math.floor((now.getTime() - base) / unitMs);
      at = base + (current + value - (current % value)) * unitMs;
      break;
    }
    default:
      if (value !== 1) return null;
      at = nextMonth();
  }
  return new Date(at).toISOString();
}

const NOT_PREMIUM =
  "You must be a LiteLLM Enterprise user to use this feature. If you have a license please set `LITELLM_LICENSE` in your env. Get a 7 day trial key here: https://www.litellm.ai/#trial. Pricing: https://www.litellm.ai/#pricing";

/** `str(member)` of a pydantic v2 model, as `Got={m}` prints it. */
function memberStr(m: WireMember): string {
  return `user_email=${pyStr(m.user_email ?? null)} user_id=${pyStr(m.user_id ?? null)} role='${m.role}'`;
}

function aliasTaken(alias: string): WireResponse {
  return proxyError(
    400,
    `Key with alias '${alias}' already exists. Unique key aliases across all keys are required.`,
    "bad_request_error",
    "key_alias",
  );
}

/** `get_team_object`'s 404 for a team the proxy does not have (escaped: FastAPI's shape). */
function teamMissingInDb(teamId: string): WireResponse {
  return fastapiDetail(404, { error: teamMissingText(teamId) });
}

function teamMissingText(teamId: string): string {
  return `Team doesn't exist in db. Team=${teamId}. Create team via \`/team/new\` call.`;
}

export const newTeam: RouteHandler = ({ state, masterKeyUserId }, { body }) => {
  const parsed = parseBody(zNewTeam, body);
  if (!parsed.ok) return parsed.response;
  const data = parsed.value;
  const teamId = data.team_id ?? randomUUID();
  if (state.teams.has(teamId)) {
    return wrappedHttpException(
      400,
      `Team id = ${teamId} already exists. Please use a different team id.`,
    );
  }
  const members = new Map<string, ContractTeamMember>();
  for (const wire of data.members_with_roles ?? []) {
    const member = toMember(wire);
    members.set(memberKey(member), member);
  }
  if (masterKeyUserId !== null && !members.has(masterKeyUserId)) {
    members.set(masterKeyUserId, { userId: masterKeyUserId, userEmail: null, role: "admin" });
  }
  const resetAt =
    data.budget_duration != null ? budgetResetAt(data.budget_duration, new Date()) : null;
  if (data.budget_duration != null && (!BUDGET_DURATION.test(data.budget_duration) || !resetAt))
    return uncaughtException();
  const team: ContractTeam = {
    teamId,
    teamAlias: data.team_alias ?? null,
    metadata: data.metadata ?? {},
    members,
    maxBudget: data.max_budget ?? null,
    budgetDuration: data.budget_duration ?? null,
    tpmLimit: data.tpm_limit ?? null,
    rpmLimit: data.rpm_limit ?? null,
    models: data.models ?? [],
    blocked: data.blocked ?? false,
    budgetResetAt: resetAt,
    createdAt: now(),
  };
  state.teams.set(teamId, team);
  return ok(teamRow(team));
};

export const teamMemberAdd: RouteHandler = ({ state, profile }, { body }) => {
  const rawMember = (body as { member?: unknown } | null)?.member;
  const parsed = parseBody<{ team_id: string; member: WireMember | WireMember[] }>(
    Array.isArray(rawMember) ? zMemberAddList : zMemberAddSingle,
    body,
  );
  if (!parsed.ok) return parsed.response;
  const { team_id: teamId, member } = parsed.value;
  const isList = Array.isArray(member);
  const requested = (isList ? member : [member]).map(toMember);

  // team_call_validation_checks runs before the team is even looked up, and its
  // HTTPException escapes the route (no handle_exception_on_proxy there): FastAPI's shape.
  const traits = traitsOf[profile];
  const admin = (isList ? member : [member]).find((m) => m.role === "admin");
  if (admin && !traits.premium) {
    const error = isList
      ? `Assigning team admins is a premium feature. Got=${memberStr(admin)}. ${NOT_PREMIUM}. `
      : `Assigning team admins is a premium feature. ${NOT_PREMIUM}`;
    return fastapiDetail(400, { error });
  }

  const team = state.teams.get(teamId);
  if (!team) {
    // auth_checks.py `get_team_object`: current releases raise HTTPException 404, which
    // escapes the route (FastAPI's shape); older ones a plain Exception (bare 500).
    return olderTeamLookup.has(profile) ? uncaughtException() : teamMissingInDb(teamId);
  }

  const duplicates = requested.filter((m) => findExisting(team, m));
  if (traits.legacyDuplicates && duplicates[0]) {
    const first = duplicates[0];
    const field =
      first.userId !== null ? `user_id=${first.userId}` : `user_email=${first.userEmail}`;
    return proxyError(
      400,
      `User with ${field} already in team. Existing members=${membersRepr(team)}`,
      "team_member_already_in_team",
      first.userId !== null ? "user_id" : "user_email",
    );
  }
  if (isList && duplicates.length === requested.length) {
    return proxyError(
      400,
      `All users are already in team. Existing members=${membersRepr(team)}`,
      "team_member_already_in_team",
      "member",
    );
  }
  if (!isList && requested[0] && duplicates.length === 1) {
    const single = requested[0];
    return proxyError(
      400,
      `User already in team. Member: user_id=${String(single.userId)}, user_email=${String(single.userEmail)}. Existing members=${membersRepr(team)}`,
      "team_member_already_in_team",
      "member",
    );
  }

  const added = requested.filter((m) => !findExisting(team, m));
  for (const member of added) team.members.set(memberKey(member), member);
  return ok({
    ...teamRow(team),
    updated_users: added.map((m) => ({
      user_id: m.userId,
      user_email: m.userEmail,
      user_role: "internal_user",
      teams: [teamId],
    })),
    updated_team_memberships: added.map((m) => ({
      user_id: m.userId,
      team_id: teamId,
      budget_id: null,
      spend: 0,
      litellm_budget_table: null,
    })),
  });
};

/**
 * team_endpoints.py `team_member_delete`: its HTTPExceptions escape the route (FastAPI's
 * `{"detail": {"error": ...}}`): no team id or no member 400; unknown team 400 "Team id=X
 * does not exist in db"; a user not in the team 400 "User not found in team". Since pull
 * request 17057 (`memberDeleteDeletesKeys`) the member's keys in that team go with them
 * (LiteLLM_VerificationToken rows with this team_id and user_id).
 */
export const teamMemberDelete: RouteHandler = ({ state, profile }, { body }) => {
  const parsed = parseBody(zMemberDelete, body);
  if (!parsed.ok) return parsed.response;
  const data = parsed.value;
  if (data.team_id == null) return fastapiDetail(400, { error: "No team id passed in" });
  if (data.user_id == null && data.user_email == null)
    return fastapiDetail(400, { error: "Either user_id or user_email needs to be passed in" });
  const team = state.teams.get(data.team_id);
  if (!team) return fastapiDetail(400, { error: `Team id=${data.team_id} does not exist in db` });
  const removed = [...team.members.entries()].filter(([, m]) =>
    data.user_id != null ? m.userId === data.user_id : m.userEmail === data.user_email,
  );
  if (removed.length === 0) return fastapiDetail(400, { error: "User not found in team" });
  for (const [key] of removed) team.members.delete(key);
  if (traitsOf[profile].memberDeleteDeletesKeys) {
    const userIds = new Set(removed.flatMap(([, m]) => (m.userId === null ? [] : [m.userId])));
    const doomed = [...state.keys.values()].filter(
      (k) => k.teamId === team.teamId && k.userId !== null && userIds.has(k.userId),
    );
    for (const key of doomed) state.deleteKey(key.token);
  }
  return ok(teamRow(team));
};

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

/**
 * team_endpoints.py `update_team`: no exception handler around it, so a missing team is
 * FastAPI's `404 {"detail": {"error": "Team not found, passed team_id=X"}}`; only the fields
 * sent change (`exclude_unset`); a bad `budget_duration` raises ValueError in
 * `get_budget_reset_time` (uncaught: 500).
 */
export const updateTeam: RouteHandler = ({ state }, { body }) => {
  const parsed = parseBody(zUpdateTeam, body);
  if (!parsed.ok) return parsed.response;
  const data = parsed.value;
  const team = state.teams.get(data.team_id);
  if (!team) return fastapiDetail(404, { error: `Team not found, passed team_id=${data.team_id}` });
  const resetAt =
    data.budget_duration != null ? budgetResetAt(data.budget_duration, new Date()) : null;
  if (data.budget_duration != null && (!BUDGET_DURATION.test(data.budget_duration) || !resetAt))
    return uncaughtException();
  const sent = body as Record<string, unknown>;
  if ("team_alias" in sent) team.teamAlias = data.team_alias ?? null;
  if (data.metadata != null) team.metadata = data.metadata;
  if ("max_budget" in sent) team.maxBudget = data.max_budget ?? null;
  if ("budget_duration" in sent) team.budgetDuration = data.budget_duration ?? null;
  // A duration sent sets the next reset from now (so re-sending one moves it); null keeps
  // the old reset; spend is never reset here.
  if (resetAt !== null) team.budgetResetAt = resetAt;
  if ("tpm_limit" in sent) team.tpmLimit = data.tpm_limit ?? null;
  if ("rpm_limit" in sent) team.rpmLimit = data.rpm_limit ?? null;
  if (data.models != null) team.models = data.models;
  if (data.blocked != null) team.blocked = data.blocked;
  return ok({ team_id: team.teamId, data: teamRow(team) });
};

/**
 * team_endpoints.py `delete_team`: every team must exist first (else FastAPI 404 "Team not
 * found, passed team_id=X", nothing deleted), then the teams' keys are deleted, then the teams.
 */
export const deleteTeams: RouteHandler = ({ state }, { body }) => {
  const parsed = parseBody(zDeleteTeams, body);
  if (!parsed.ok) return parsed.response;
  const { team_ids: teamIds } = parsed.value;
  const missing = teamIds.find((id) => !state.teams.has(id));
  if (missing !== undefined)
    return fastapiDetail(404, { error: `Team not found, passed team_id=${missing}` });
  for (const id of teamIds) state.deleteTeam(id);
  return ok({ deleted_teams: teamIds });
};

/**
 * team_endpoints.py `team_info`: errors go through its own handler as ProxyException with
 * type auth_error and the detail dict repr'd (`{'message': ...}`).
 */
export const teamInfo: RouteHandler = ({ state }, { query }) => {
  const teamId = query.get("team_id");
  if (!teamId) {
    return proxyError(
      422,
      pyDict("message", "Malformed request. No team id passed in."),
      "auth_error",
    );
  }
  const team = state.teams.get(teamId);
  if (!team)
    return proxyError(
      404,
      pyDict("message", `Team not found, passed team id: ${teamId}.`),
      "auth_error",
    );
  const keys = [...state.keys.values()].filter((k) => k.teamId === teamId).map(keyRow);
  return ok({ team_id: teamId, team_info: teamRow(team), keys, team_memberships: [] });
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
 * team_endpoints.py `block_team` / `unblock_team` (BlockTeamRequest: `team_id` required):
 * set `blocked` on the team row and answer the row; a missing team is
 * `404 {"detail": {"error": "Team not found, passed team_id=X"}}` (the route's own check;
 * ASSUMED reachable: Prisma's `update` may raise first on some versions, a bare 500).
 * Keys of a blocked team are refused by the proxy at auth time (`team_object.blocked`).
 */
function setTeamBlocked(blocked: boolean): RouteHandler {
  return ({ state }, { body }) => {
    const parsed = parseBody(zBlockTeam, body);
    if (!parsed.ok) return parsed.response;
    const team = state.teams.get(parsed.value.team_id);
    if (!team)
      return fastapiDetail(404, {
        error: `Team not found, passed team_id=${parsed.value.team_id}`,
      });
    team.blocked = blocked;
    return ok(teamRow(team));
  };
}

/**
 * key_management_endpoints.py `block_key` / `unblock_key` (BlockKeyRequest: `key`, a secret
 * `sk-...` hashed or a token taken as is): set `blocked` and answer the key row. A missing
 * key: the update changes nothing and `get_key_object` raises 401 token_not_found_in_db
 * (the 404 "Key X not found" is only reached with Enterprise audit logs on).
 */
function setKeyBlocked(blocked: boolean): RouteHandler {
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

/** Method and handler per path; other methods on a known path answer 405 like FastAPI. */
export const liteLLMRoutes: ReadonlyMap<string, { method: "GET" | "POST"; handler: RouteHandler }> =
  new Map([
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
  ]);
