/**
 * Invitations and password resets as pure rules: who may invite whom into what, what an
 * invitation grants once accepted, and how long tokens live. The API reads the facts (the
 * team's organization, the caller's team role) and applies these.
 *
 * Who may invite (and list, resend, revoke):
 *   system admins: anything, an invitation without organization or team included;
 *   an organization's admins: any role in their organization, any team of it;
 *   a team's ADMINs: their team only, with any team role (what teams.addMember lets them
 *     grant today), and no organization role beyond the MEMBER the team implies.
 */
import { isOrgAdmin, type Actor } from "./actor.ts";
import type { OrgRole, TeamRole } from "./roles.ts";
import { teamRoleCanManageMembers, teamRoleRank } from "./roles.ts";

/** An invitation lives 7 days; resending gives it a new token and 7 more days. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60_000;
/** A password reset link lives 30 minutes. */
export const PASSWORD_RESET_TTL_MS = 30 * 60_000;

/** What an invitation names (after its team's organization was read). */
export interface InvitationScope {
  organizationId: string | null;
  orgRole: OrgRole | null;
  teamId: string | null;
  teamRole: TeamRole | null;
}

/** One field-level problem with an invitation's scope. */
export interface ScopeIssue {
  field: "orgRole" | "teamRole" | "teamId";
  message: string;
}

/**
 * The input's roles and scopes before any lookup: a role needs its scope, and a team whose
 * organization is known must belong to the organization named (`teamOrganizationId`
 * undefined: not read yet or no team).
 */
export function invitationScopeIssues(
  input: {
    organizationId?: string | undefined;
    orgRole?: OrgRole | undefined;
    teamId?: string | undefined;
    teamRole?: TeamRole | undefined;
  },
  teamOrganizationId?: string | null,
): ScopeIssue[] {
  const issues: ScopeIssue[] = [];
  if (input.orgRole && !input.organizationId)
    issues.push({ field: "orgRole", message: "needs organizationId" });
  if (input.teamRole && !input.teamId) issues.push({ field: "teamRole", message: "needs teamId" });
  if (
    input.teamId &&
    input.organizationId &&
    teamOrganizationId !== undefined &&
    teamOrganizationId !== input.organizationId
  )
    issues.push({ field: "teamId", message: "is not a team of this organization" });
  return issues;
}

/**
 * The scope an invitation grants: a team of an organization makes the person at least a
 * MEMBER of that organization (a team member must be in the team's organization); roles
 * default to MEMBER.
 */
export function resolveInvitationScope(
  input: {
    organizationId?: string | undefined;
    orgRole?: OrgRole | undefined;
    teamId?: string | undefined;
    teamRole?: TeamRole | undefined;
  },
  teamOrganizationId: string | null,
): InvitationScope {
  const organizationId = input.organizationId ?? (input.teamId ? teamOrganizationId : null);
  return {
    organizationId,
    orgRole: organizationId ? (input.orgRole ?? "MEMBER") : null,
    teamId: input.teamId ?? null,
    teamRole: input.teamId ? (input.teamRole ?? "MEMBER") : null,
  };
}

/**
 * May this caller create (or list, resend, revoke) an invitation of this scope?
 * `callerTeamRole` is the caller's role in the invitation's team (null: none or no team).
 */
export function canManageInvitation(
  actor: Actor,
  scope: Pick<InvitationScope, "organizationId" | "orgRole" | "teamId">,
  callerTeamRole: TeamRole | null,
): boolean {
  if (actor.isSystemAdmin) return true;
  if (scope.organizationId !== null && isOrgAdmin(actor, scope.organizationId)) return true;
  if (scope.teamId === null || callerTeamRole === null) return false;
  if (!teamRoleCanManageMembers(callerTeamRole)) return false;
  return scope.orgRole === null || scope.orgRole === "MEMBER";
}

export type InvitationStatus = "pending" | "expired" | "accepted" | "revoked";

export function invitationStatus(
  invitation: { expiresAt: Date; acceptedAt: Date | null; revokedAt: Date | null },
  now: Date,
): InvitationStatus {
  if (invitation.acceptedAt) return "accepted";
  if (invitation.revokedAt) return "revoked";
  return invitation.expiresAt.getTime() <= now.getTime() ? "expired" : "pending";
}

/** Accepting never lowers a role someone already holds: the higher of the two stays. */
export function orgRoleAfterInvitation(current: OrgRole | null, invited: OrgRole): OrgRole {
  return current === "ORG_ADMIN" || invited === "ORG_ADMIN" ? "ORG_ADMIN" : "MEMBER";
}

export function teamRoleAfterInvitation(current: TeamRole | null, invited: TeamRole): TeamRole {
  if (current === null) return invited;
  return teamRoleRank(current) >= teamRoleRank(invited) ? current : invited;
}
