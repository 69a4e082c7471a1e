/**
 * The team routes: /team/new, /team/member_add, /team/member_delete, /team/update,
 * /team/delete, /team/info, /team/block and /team/unblock (see routes.ts for what was
 * verified against LiteLLM and what is assumed).
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { BUDGET_DURATION, budgetResetAt } from "./budget.ts";
import { olderTeamLookup, traitsOf } from "./profiles.ts";
import {
  keyRow,
  now,
  ok,
  pyStr,
  teamMissingText,
  teamRow,
  zMetadata,
  zText,
  type RouteHandler,
} from "./route-kit.ts";
import { memberKey, type ContractTeam, type ContractTeamMember } from "./state.ts";
import {
  fastapiDetail,
  parseBody,
  proxyError,
  pyDict,
  uncaughtException,
  wrappedHttpException,
  type WireResponse,
} from "./wire.ts";

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
// `member` is a Member or a list of them. Two schemas chosen by shape (rather than a zod
// union, which reports both alternatives) keep validation errors pointing at the right
// place; both are built once because zod compiles an object schema on first use.
const zMemberAddList = z.looseObject({ team_id: z.string(), member: z.array(zMember) });
const zMemberAddSingle = z.looseObject({ team_id: z.string(), member: zMember });
const zMemberDelete = z.looseObject({ team_id: zText, user_id: zText, user_email: zText });
// TeamMemberUpdateRequest (proxy/_types.py): MemberDeleteRequest's user_id / user_email
// with its "before" validator, team_id required, role Literal["admin", "user"].
const zMemberUpdate = z
  .looseObject({
    user_id: zText,
    user_email: zText,
    team_id: z.string(),
    max_budget_in_team: z.number().nullish(),
    role: z.enum(["admin", "user"]).nullish(),
    tpm_limit: z.int().nullish(),
    rpm_limit: z.int().nullish(),
  })
  .refine((m) => m.user_id != null || m.user_email != null, {
    message: "Either user id or user email must be provided",
  });
type WireMemberUpdate = z.infer<typeof zMemberUpdate>;
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

const NOT_PREMIUM =
  "You must be a LiteLLM Enterprise user to use this feature. If you have a license please set `LITELLM_LICENSE` in your env. Get a 7 day trial key here: https://www.litellm.ai/#trial. Pricing: https://www.litellm.ai/#pricing";

/** `str(member)` of a pydantic v2 model, as `Got={m}` prints it. */
function memberStr(m: WireMember): string {
  return `user_email=${pyStr(m.user_email ?? null)} user_id=${pyStr(m.user_id ?? null)} role='${m.role}'`;
}

/** `get_team_object`'s 404 for a team the proxy does not have (escaped: FastAPI's shape). */
function teamMissingInDb(teamId: string): WireResponse {
  return fastapiDetail(404, { error: teamMissingText(teamId) });
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
 * does not exist in db"; a user not in the team 400 "User not found in team". In releases
 * since November 2025 (`memberDeleteDeletesKeys`) the member's keys in that team go with them
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
  // Their LiteLLM_TeamMembership rows (and so their budgets in the team) go too.
  for (const [, m] of removed) if (m.userId !== null) team.memberships?.delete(m.userId);
  if (traitsOf[profile].memberDeleteDeletesKeys) {
    const userIds = new Set(removed.flatMap(([, m]) => (m.userId === null ? [] : [m.userId])));
    const doomed = [...state.keys.values()].filter(
      (k) => k.teamId === team.teamId && k.userId !== null && userIds.has(k.userId),
    );
    for (const key of doomed) state.deleteKey(key.token);
  }
  return ok(teamRow(team));
};

/** pydantic's `str(model)` of the request, as the "User id doesn't exist" message prints it. */
function memberUpdateStr(data: WireMemberUpdate): string {
  const py = (v: string | number | null | undefined): string =>
    v == null ? "None" : typeof v === "string" ? `'${v}'` : String(v);
  return [
    `user_id=${py(data.user_id)}`,
    `user_email=${py(data.user_email)}`,
    `team_id=${py(data.team_id)}`,
    `max_budget_in_team=${py(data.max_budget_in_team)}`,
    `role=${py(data.role)}`,
    `tpm_limit=${py(data.tpm_limit)}`,
    `rpm_limit=${py(data.rpm_limit)}`,
  ].join(" ");
}

/**
 * team_endpoints.py `team_member_update` (open source; marked [BETA]): a member's budget
 * inside the team (`max_budget_in_team`, `tpm_limit`, `rpm_limit`: a LiteLLM_BudgetTable
 * row linked from LiteLLM_TeamMembership) and role. No exception handler around it, so its
 * HTTPExceptions escape as FastAPI's `{"detail": ...}`. In order: `role: "admin"` without
 * a licence 400 (a string detail, not a dict); team missing 400 "Team id=X does not exist
 * in db"; a `user_email` no member has 400 "User id doesn't exist in team table. Data=...".
 * A `user_id` is taken as given, member or not. `_upsert_budget_and_membership` replaces
 * the whole budget on every call: all three limits absent or null removes it (so a
 * role-only update clears a member budget); any one set writes all three as sent.
 * Answers TeamMemberUpdateResponse `{team_id, user_id, user_email, max_budget_in_team,
 * tpm_limit, rpm_limit}`. LiteLLM enforces the budget when the member's key is used
 * (the member's spend in the team against it), which the double does not model.
 */
export const teamMemberUpdate: RouteHandler = ({ state, profile }, { body }) => {
  const parsed = parseBody(zMemberUpdate, body);
  if (!parsed.ok) return parsed.response;
  const data = parsed.value;
  if (data.role === "admin" && !traitsOf[profile].premium) {
    return fastapiDetail(400, `Assigning team admins is a premium feature. ${NOT_PREMIUM}`);
  }
  const team = state.teams.get(data.team_id);
  if (!team) return fastapiDetail(400, { error: `Team id=${data.team_id} does not exist in db` });
  let userId = data.user_id ?? null;
  if (userId === null) {
    for (const member of team.members.values()) {
      if (member.userEmail !== null && member.userEmail === data.user_email) {
        userId = member.userId;
        break;
      }
    }
  }
  if (userId === null) {
    return fastapiDetail(400, {
      error: `User id doesn't exist in team table. Data=${memberUpdateStr(data)}`,
    });
  }
  const maxBudget = data.max_budget_in_team ?? null;
  const tpmLimit = data.tpm_limit ?? null;
  const rpmLimit = data.rpm_limit ?? null;
  team.memberships ??= new Map();
  const existing = team.memberships.get(userId);
  if (maxBudget === null && tpmLimit === null && rpmLimit === null) {
    team.memberships.delete(userId);
  } else {
    team.memberships.set(userId, {
      userId,
      budgetId: existing?.budgetId ?? randomUUID(),
      maxBudgetInTeam: maxBudget,
      tpmLimit,
      rpmLimit,
      spend: existing?.spend ?? 0,
    });
  }
  if (data.role != null) {
    for (const [memberId, member] of team.members) {
      if (member.userId === userId) {
        team.members.set(memberId, {
          ...member,
          role: data.role,
          userEmail: data.user_email ?? member.userEmail,
        });
      }
    }
  }
  return ok({
    user_id: userId,
    user_email: data.user_email ?? null,
    team_id: team.teamId,
    max_budget_in_team: maxBudget,
    tpm_limit: tpmLimit,
    rpm_limit: rpmLimit,
  });
};

/** LiteLLM_TeamMembership rows with their budget, as `/team/info` lists them. */
function membershipRows(team: ContractTeam): Record<string, unknown>[] {
  return [...(team.memberships?.values() ?? [])].map((m) => ({
    user_id: m.userId,
    team_id: team.teamId,
    budget_id: m.budgetId,
    spend: m.spend,
    litellm_budget_table: {
      budget_id: m.budgetId,
      max_budget: m.maxBudgetInTeam,
      tpm_limit: m.tpmLimit,
      rpm_limit: m.rpmLimit,
    },
  }));
}

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
  return ok({
    team_id: teamId,
    team_info: teamRow(team),
    keys,
    team_memberships: membershipRows(team),
  });
};

/**
 * team_endpoints.py `block_team` / `unblock_team` (BlockTeamRequest: `team_id` required):
 * set `blocked` on the team row and answer the row; a missing team is
 * `404 {"detail": {"error": "Team not found, passed team_id=X"}}` (the route's own check;
 * ASSUMED reachable: Prisma's `update` may raise first on some versions, a bare 500).
 * Keys of a blocked team are refused by the proxy at auth time (`team_object.blocked`).
 */
export function setTeamBlocked(blocked: boolean): RouteHandler {
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
