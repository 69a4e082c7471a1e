/**
 * The listings of a proxy, /v2/team/list and /key/list: offset-paged, at most
 * MAX_LIST_PAGE_SIZE a page.
 */
import { invalidInput, type ProxyCall } from "../proxy-call.ts";
import type { LiteLLMOperation } from "../errors.ts";
import type { KeyPage, ListKeysInput, ListTeamsInput, TeamPage } from "../types.ts";
import { zKeyPage, zTeamPage } from "./schemas.ts";

/** LiteLLM refuses pages larger than this on both listings (FastAPI `le=100`). */
export const MAX_LIST_PAGE_SIZE = 100;

function pageQuery(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) search.set(name, String(value));
  return search.toString();
}

function checkPaging(operation: LiteLLMOperation, page: number, size: number): void {
  if (!Number.isInteger(page) || page < 1) invalidInput(operation, "page must be an integer >= 1");
  if (!Number.isInteger(size) || size < 1 || size > MAX_LIST_PAGE_SIZE) {
    invalidInput(operation, `page size must be an integer in 1..${MAX_LIST_PAGE_SIZE}`);
  }
}

/** GET /v2/team/list: one page of teams (offset paging, at most 100 a page). */
export async function listTeams(proxy: ProxyCall, input: ListTeamsInput = {}): Promise<TeamPage> {
  const page = input.page ?? 1;
  const pageSize = input.pageSize ?? MAX_LIST_PAGE_SIZE;
  checkPaging("listTeams", page, pageSize);
  const query = pageQuery({
    page,
    page_size: pageSize,
    team_id: input.teamId,
    sort_by: input.sortBy,
    sort_order: input.sortOrder,
  });
  const body = await proxy.call("listTeams", "GET", `/v2/team/list?${query}`, zTeamPage);
  return {
    teams: body.teams.map((t) => ({
      teamId: t.team_id,
      teamAlias: t.team_alias ?? null,
      spend: t.spend ?? null,
      maxBudget: t.max_budget ?? null,
      budgetDuration: t.budget_duration ?? null,
      budgetResetAt: t.budget_reset_at ?? null,
      tpmLimit: t.tpm_limit ?? null,
      rpmLimit: t.rpm_limit ?? null,
      models: t.models ?? [],
      blocked: t.blocked ?? false,
      membersCount: t.members_count ?? null,
      metadata: t.metadata ?? {},
    })),
    total: body.total,
    page: body.page,
    pageSize: body.page_size,
    totalPages: body.total_pages,
  };
}

/** GET /key/list with full objects: one page of keys (offset paging, at most 100 a page). */
export async function listKeys(proxy: ProxyCall, input: ListKeysInput = {}): Promise<KeyPage> {
  const page = input.page ?? 1;
  const size = input.size ?? MAX_LIST_PAGE_SIZE;
  checkPaging("listKeys", page, size);
  const query = pageQuery({
    page,
    size,
    team_id: input.teamId,
    return_full_object: true,
    sort_by: input.sortBy,
    sort_order: input.sortOrder,
  });
  const body = await proxy.call("listKeys", "GET", `/key/list?${query}`, zKeyPage);
  return {
    keys: body.keys.map((k) => ({
      token: k.token,
      keyAlias: k.key_alias ?? null,
      keyName: k.key_name ?? null,
      teamId: k.team_id ?? null,
      userId: k.user_id ?? null,
      spend: k.spend ?? null,
      metadata: k.metadata ?? {},
      blocked: k.blocked ?? false,
      allowedRoutes: k.allowed_routes ?? [],
    })),
    totalCount: body.total_count,
    page: body.current_page,
    totalPages: body.total_pages,
  };
}
