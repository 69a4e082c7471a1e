/**
 * Who sees which teams in `teams.list`, as a plan the data layer turns into SQL.
 *
 * The visible set: a system admin (or admin-scoped service token) sees every team;
 * anyone else sees the teams of organizations they administer plus the teams they belong
 * to. Filters only narrow that set. The plan is a union of "branches", each of which can
 * be read in order from one index (teams by organization, or a user's memberships), so
 * the union of a few short ordered lists replaces one slow `org IN (...) OR id IN (...)`.
 *
 * Regressions of LiteLLM's /v2/team/list this rule set must not repeat (see tests):
 * - an org admin without filters must see every team of their organizations
 *   (not only those they belong to);
 * - no filter (userId, teamId, search, name) may reach outside the visible set;
 * - an org admin of one organization who is a plain member in another keeps
 *   seeing the teams they belong to there.
 */
import type { Actor } from "./actor.ts";
import { forbidden } from "./errors.ts";

export interface TeamListScopeFilters {
  organizationId?: string | undefined;
  userId?: string | undefined;
}

/** One index-ordered source of candidate teams. */
export type TeamBranch =
  | { kind: "all" }
  | { kind: "org"; organizationId: string }
  /** Several organizations in one branch, when there are too many for one branch each. */
  | { kind: "orgs"; organizationIds: string[] }
  | { kind: "member"; userId: string };

export type TeamListPlan =
  | { kind: "empty" }
  | {
      kind: "query";
      branches: TeamBranch[];
      /** Extra predicate keeping rows inside the caller's visible set (when a branch can leave it). */
      visibleTo: { organizationIds: string[]; memberUserId: string | null } | null;
      /** Narrow to one organization. */
      organizationId: string | null;
      /**
       * The caller is not admin of this organization: the data layer must check they belong
       * to a team there, else the filter is FORBIDDEN (not an empty page, which would hide
       * the mistake; not a wider answer, which would leak).
       */
      requireMembershipInOrganization: { organizationId: string; userId: string } | null;
    };

/** Beyond this many administered organizations, one `= ANY` branch beats one branch each. */
export const MAX_ORG_BRANCHES = 20;

export function planTeamList(actor: Actor, filters: TeamListScopeFilters): TeamListPlan {
  const self = actor.kind === "user" ? actor.userId : null;
  const orgFilter = filters.organizationId ?? null;
  const userFilter = filters.userId ?? null;

  if (actor.isSystemAdmin) {
    if (userFilter) return query([{ kind: "member", userId: userFilter }], null, orgFilter, null);
    if (orgFilter) return query([{ kind: "org", organizationId: orgFilter }], null, null, null);
    return query([{ kind: "all" }], null, null, null);
  }

  const adminOrgs = [...new Set(actor.adminOrgIds)];
  const adminsFilteredOrg = orgFilter !== null && adminOrgs.includes(orgFilter);
  // An organization filter the caller does not administer: only their own teams there.
  const membershipCheck =
    orgFilter !== null && !adminsFilteredOrg
      ? self
        ? { organizationId: orgFilter, userId: self }
        : "forbidden"
      : null;
  if (membershipCheck === "forbidden") throw forbidden("You cannot list this organization's teams");

  if (userFilter !== null && userFilter !== self) {
    // Only someone who administers an organization may look at another user's teams,
    // and then only inside what the caller can see.
    if (adminOrgs.length === 0) throw forbidden("You can only list your own teams");
    return query(
      [{ kind: "member", userId: userFilter }],
      { organizationIds: adminOrgs, memberUserId: self },
      orgFilter,
      membershipCheck,
    );
  }

  if (userFilter !== null || membershipCheck) {
    // The caller's own teams (optionally in one organization).
    return self
      ? query([{ kind: "member", userId: self }], null, orgFilter, membershipCheck)
      : { kind: "empty" };
  }

  if (adminsFilteredOrg)
    return query([{ kind: "org", organizationId: orgFilter }], null, null, null);

  const branches: TeamBranch[] =
    adminOrgs.length > MAX_ORG_BRANCHES
      ? [{ kind: "orgs", organizationIds: adminOrgs }]
      : adminOrgs.map((organizationId) => ({ kind: "org" as const, organizationId }));
  if (self) branches.push({ kind: "member", userId: self });
  return branches.length === 0 ? { kind: "empty" } : query(branches, null, null, null);
}

function query(
  branches: TeamBranch[],
  visibleTo: { organizationIds: string[]; memberUserId: string | null } | null,
  organizationId: string | null,
  requireMembershipInOrganization: { organizationId: string; userId: string } | null,
): TeamListPlan {
  return { kind: "query", branches, visibleTo, organizationId, requireMembershipInOrganization };
}
