/**
 * The team endpoints of a proxy: create, members, alias and limits, block, delete.
 * Response schemas are loose on purpose (see endpoints/schemas.ts).
 */
import type { z } from "zod";
import { invalidInput, requireText, type ProxyCall } from "../proxy-call.ts";
import type {
  AddTeamMembersInput,
  CreateTeamInput,
  LiteLLMTeam,
  SetTeamMemberBudgetInput,
  TeamLimitsInput,
  TeamMemberBudget,
  UpdateTeamInput,
} from "../types.ts";
import { zAnyObject, zTeam, zTeamInfo, zTeamMemberUpdated, zUpdatedTeam } from "./schemas.ts";

/** POST /team/new. Fails with `already_exists` / `team_exists` if the id is taken. */
export async function createTeam(proxy: ProxyCall, input: CreateTeamInput): Promise<LiteLLMTeam> {
  requireText("createTeam", { teamId: input.teamId, teamAlias: input.teamAlias });
  const body = await proxy.call("createTeam", "POST", "/team/new", zTeam, {
    team_id: input.teamId,
    team_alias: input.teamAlias,
    ...(input.limits ? teamLimitsBody(input.limits) : {}),
    ...(input.blocked ? { blocked: true } : {}),
  });
  return toTeam(body);
}

/** POST /team/member_add. Returns the team with its members after the call. */
export async function addTeamMembers(
  proxy: ProxyCall,
  input: AddTeamMembersInput,
): Promise<LiteLLMTeam> {
  requireText("addTeamMembers", { teamId: input.teamId });
  if (input.members.length === 0) invalidInput("addTeamMembers", "members must not be empty");
  for (const member of input.members) requireText("addTeamMembers", { userId: member.userId });
  const body = await proxy.call("addTeamMembers", "POST", "/team/member_add", zTeam, {
    team_id: input.teamId,
    member: input.members.map((m) => ({ user_id: m.userId, role: m.role })),
  });
  return toTeam(body);
}

/**
 * POST /team/member_delete. LiteLLM releases since November 2025
 * also delete that member's keys in the team; older ones keep them. Fails with
 * `member_not_found` / `team_not_found`.
 */
export async function removeTeamMember(
  proxy: ProxyCall,
  input: { teamId: string; userId: string },
): Promise<void> {
  requireText("removeTeamMember", { teamId: input.teamId, userId: input.userId });
  await proxy.call("removeTeamMember", "POST", "/team/member_delete", zAnyObject, {
    team_id: input.teamId,
    user_id: input.userId,
  });
}

/** POST /team/update of the alias. Fails with `not_found`/`team_not_found` if the team is missing. */
export async function updateTeam(proxy: ProxyCall, input: UpdateTeamInput): Promise<void> {
  requireText("updateTeam", { teamId: input.teamId, teamAlias: input.teamAlias });
  await proxy.call("updateTeam", "POST", "/team/update", zUpdatedTeam, {
    team_id: input.teamId,
    team_alias: input.teamAlias,
  });
}

/**
 * POST /team/update of the budget and limits (every field sent, so a cleared limit is
 * cleared on the proxy too). Fails with `not_found`/`team_not_found` if the team is missing.
 */
export async function updateTeamLimits(proxy: ProxyCall, input: TeamLimitsInput): Promise<void> {
  requireText("updateTeam", { teamId: input.teamId });
  await proxy.call("updateTeam", "POST", "/team/update", zUpdatedTeam, {
    team_id: input.teamId,
    ...teamLimitsBody(input),
  });
}

/**
 * POST /team/block or /team/unblock: every key of the team is refused (or served again).
 * Fails with `not_found`/`team_not_found` if the team is missing.
 */
export async function setTeamBlocked(
  proxy: ProxyCall,
  teamId: string,
  blocked: boolean,
): Promise<void> {
  const operation = blocked ? "blockTeam" : "unblockTeam";
  requireText(operation, { teamId });
  await proxy.call(operation, "POST", blocked ? "/team/block" : "/team/unblock", zUpdatedTeam, {
    team_id: teamId,
  });
}

/**
 * POST /team/delete. LiteLLM deletes the teams' keys with them, and refuses the whole
 * request (`not_found`/`team_not_found`) when one of the teams does not exist.
 */
export async function deleteTeams(proxy: ProxyCall, teamIds: readonly string[]): Promise<void> {
  if (teamIds.length === 0) invalidInput("deleteTeams", "teamIds must not be empty");
  for (const teamId of teamIds) requireText("deleteTeams", { teamId });
  await proxy.call("deleteTeams", "POST", "/team/delete", zAnyObject, { team_ids: [...teamIds] });
}

/**
 * POST /team/member_update: a member's budget inside the team (open-source LiteLLM;
 * team_endpoints.py `team_member_update`). LiteLLM replaces the member's whole budget on
 * every call: all limits null removes it. Never sends `role` (an admin role is an
 * Enterprise feature). `team_not_found` when the team is missing; LiteLLM does not check
 * that the user is a member. The proxy enforces it when the member's keys are used.
 */
export async function setTeamMemberBudget(
  proxy: ProxyCall,
  input: SetTeamMemberBudgetInput,
): Promise<TeamMemberBudget> {
  requireText("updateTeamMember", { teamId: input.teamId, userId: input.userId });
  if (input.maxBudgetInTeam !== null && !(input.maxBudgetInTeam >= 0))
    invalidInput("updateTeamMember", "maxBudgetInTeam must be a non-negative number or null");
  const body = await proxy.call(
    "updateTeamMember",
    "POST",
    "/team/member_update",
    zTeamMemberUpdated,
    {
      team_id: input.teamId,
      user_id: input.userId,
      max_budget_in_team: input.maxBudgetInTeam,
      ...(input.tpmLimit !== undefined ? { tpm_limit: input.tpmLimit } : {}),
      ...(input.rpmLimit !== undefined ? { rpm_limit: input.rpmLimit } : {}),
    },
  );
  return {
    teamId: body.team_id,
    userId: body.user_id,
    maxBudgetInTeam: body.max_budget_in_team ?? null,
    tpmLimit: body.tpm_limit !== undefined ? body.tpm_limit : (input.tpmLimit ?? null),
    rpmLimit: body.rpm_limit !== undefined ? body.rpm_limit : (input.rpmLimit ?? null),
    // The answer carries no spend: read it with teamMemberBudgets.
    spend: null,
  };
}

/** GET /team/info: the members' budgets in the team (LiteLLM_TeamMembership rows). */
export async function teamMemberBudgets(
  proxy: ProxyCall,
  teamId: string,
): Promise<TeamMemberBudget[]> {
  requireText("teamInfo", { teamId });
  const body = await proxy.call(
    "teamInfo",
    "GET",
    `/team/info?team_id=${encodeURIComponent(teamId)}`,
    zTeamInfo,
  );
  return (body.team_memberships ?? []).map((m) => ({
    teamId,
    userId: m.user_id,
    maxBudgetInTeam: m.litellm_budget_table?.max_budget ?? null,
    tpmLimit: m.litellm_budget_table?.tpm_limit ?? null,
    rpmLimit: m.litellm_budget_table?.rpm_limit ?? null,
    spend: m.spend ?? null,
  }));
}

function toTeam(body: z.infer<typeof zTeam>): LiteLLMTeam {
  return {
    teamId: body.team_id,
    teamAlias: body.team_alias ?? null,
    members: (body.members_with_roles ?? []).map((m) => ({
      userId: m.user_id ?? null,
      userEmail: m.user_email ?? null,
      role: m.role,
    })),
  };
}

/** LiteLLM's names for a team's limits; `budget_duration` only when given (see TeamLimitsInput). */
function teamLimitsBody(limits: Omit<TeamLimitsInput, "teamId">): Record<string, unknown> {
  return {
    max_budget: limits.maxBudget,
    ...(limits.budgetDuration !== undefined ? { budget_duration: limits.budgetDuration } : {}),
    tpm_limit: limits.tpmLimit,
    rpm_limit: limits.rpmLimit,
    models: limits.models,
  };
}
