/**
 * Single sign-on rules: which email domains a provider serves, who must sign in by SSO, and
 * the group sync's plan (which memberships an SSO sign-in adds, changes and removes). Pure:
 * the db layer reads the facts, the API applies the plan in one transaction.
 */
import { normalizeEmail } from "./email.ts";
import { teamRoleRank, type OrgRole, type TeamRole } from "./roles.ts";

/** A domain as providers store it: trimmed, lower-cased, without a leading "@". */
export function normalizeDomain(domain: string): string {
  return domain.trim().toLowerCase().replace(/^@/, "");
}

/** The domain of an email address ("" when it has none). */
export function emailDomain(email: string): string {
  const at = normalizeEmail(email).lastIndexOf("@");
  return at < 0 ? "" : normalizeEmail(email).slice(at + 1);
}

/**
 * Whether an ID token vouches for its `email`: `email_verified` true (OpenID Connect Core),
 * or Microsoft Entra ID's optional `xms_edov` ("email domain owner verified") true, since
 * Entra's work-account tokens carry no `email_verified`. `"true"` as text counts too (some
 * providers, e.g. Amazon Cognito, send claims as strings); anything else does not.
 */
export function emailVouchedFor(claims: { email_verified?: unknown; xms_edov?: unknown }): boolean {
  const yes = (value: unknown) => value === true || value === "true";
  return yes(claims.email_verified) || yes(claims.xms_edov);
}

/** Whether a provider serving `domains` may sign in this email. */
export function providerServesEmail(domains: readonly string[], email: string): boolean {
  const domain = emailDomain(email);
  return domain !== "" && domains.map(normalizeDomain).includes(domain);
}

/**
 * Whether this person must sign in by SSO (password sign-in refused): a member of an
 * organization that enforces it, unless a system administrator (break-glass).
 */
export function ssoRequired(person: {
  isSystemAdmin: boolean;
  memberOfEnforcingOrganization: boolean;
}): boolean {
  return !person.isSystemAdmin && person.memberOfEnforcingOrganization;
}

const orgRoleRank = (role: OrgRole): number => (role === "ORG_ADMIN" ? 1 : 0);

export interface SsoGroupRule {
  id: string;
  group: string;
  organizationId: string;
  orgRole: OrgRole | null;
  teamId: string | null;
  teamRole: TeamRole | null;
}

export interface DesiredMembership<R> {
  role: R;
  ruleId: string;
  group: string;
}

export interface DesiredMemberships {
  orgs: Map<string, DesiredMembership<OrgRole>>;
  teams: Map<string, DesiredMembership<TeamRole> & { organizationId: string }>;
}

/**
 * The memberships the claim's groups grant through the rules. A team rule also grants its
 * organization (as MEMBER unless it says otherwise), since a team of an organization takes
 * only its members. When several rules map the same organization or team, the highest role
 * wins (the first such rule is the one recorded).
 */
export function desiredSsoMemberships(
  rules: readonly SsoGroupRule[],
  groups: readonly string[],
): DesiredMemberships {
  const have = new Set(groups);
  const orgs: DesiredMemberships["orgs"] = new Map();
  const teams: DesiredMemberships["teams"] = new Map();
  for (const rule of rules) {
    if (!have.has(rule.group)) continue;
    const orgRole = rule.orgRole ?? "MEMBER";
    const org = orgs.get(rule.organizationId);
    if (!org || orgRoleRank(orgRole) > orgRoleRank(org.role))
      orgs.set(rule.organizationId, { role: orgRole, ruleId: rule.id, group: rule.group });
    if (rule.teamId) {
      const teamRole = rule.teamRole ?? "MEMBER";
      const team = teams.get(rule.teamId);
      if (!team || teamRoleRank(teamRole) > teamRoleRank(team.role))
        teams.set(rule.teamId, {
          role: teamRole,
          ruleId: rule.id,
          group: rule.group,
          organizationId: rule.organizationId,
        });
    }
  }
  return { orgs, teams };
}

export interface CurrentMembership<R> {
  id: string;
  role: R;
  source: "MANUAL" | "SSO";
  /** The rule that made an SSO membership (null: hand-made, or its rule was deleted). */
  ruleId: string | null;
}

export interface MembershipChange<R> {
  id: string;
  role: R;
  from: R | null;
  ruleId: string;
  group: string;
}

export interface MembershipRemoval<R> {
  id: string;
  from: R;
  ruleId: string | null;
}

export interface SsoSyncPlan {
  orgAdds: MembershipChange<OrgRole>[];
  orgRoleChanges: MembershipChange<OrgRole>[];
  orgRemovals: MembershipRemoval<OrgRole>[];
  teamAdds: (MembershipChange<TeamRole> & { organizationId: string })[];
  teamRoleChanges: MembershipChange<TeamRole>[];
  teamRemovals: MembershipRemoval<TeamRole>[];
}

/**
 * What an SSO sign-in changes so that the SSO-made memberships match the claim. Scope: the
 * organizations the provider's rules name (`ruledOrgIds`) and their teams; nothing outside
 * it is touched. Hand-made memberships are never changed or removed (a desired one that is
 * already hand-made stays as it is). An SSO membership no longer desired is removed; one
 * with another role is changed.
 */
export function ssoSyncPlan(input: {
  desired: DesiredMemberships;
  ruledOrgIds: ReadonlySet<string>;
  currentOrgs: readonly CurrentMembership<OrgRole>[];
  /** The person's memberships of teams of the ruled organizations. */
  currentTeams: readonly CurrentMembership<TeamRole>[];
}): SsoSyncPlan {
  const plan: SsoSyncPlan = {
    orgAdds: [],
    orgRoleChanges: [],
    orgRemovals: [],
    teamAdds: [],
    teamRoleChanges: [],
    teamRemovals: [],
  };
  const orgsNow = new Map(input.currentOrgs.map((m) => [m.id, m]));
  for (const [id, want] of input.desired.orgs) {
    const now = orgsNow.get(id);
    if (!now) plan.orgAdds.push({ id, role: want.role, from: null, ...rule(want) });
    else if (now.source === "SSO" && now.role !== want.role)
      plan.orgRoleChanges.push({ id, role: want.role, from: now.role, ...rule(want) });
  }
  for (const now of input.currentOrgs) {
    if (now.source !== "SSO" || !input.ruledOrgIds.has(now.id)) continue;
    if (!input.desired.orgs.has(now.id))
      plan.orgRemovals.push({ id: now.id, from: now.role, ruleId: now.ruleId });
  }
  const teamsNow = new Map(input.currentTeams.map((m) => [m.id, m]));
  for (const [id, want] of input.desired.teams) {
    const now = teamsNow.get(id);
    if (!now)
      plan.teamAdds.push({
        id,
        role: want.role,
        from: null,
        organizationId: want.organizationId,
        ...rule(want),
      });
    else if (now.source === "SSO" && now.role !== want.role)
      plan.teamRoleChanges.push({ id, role: want.role, from: now.role, ...rule(want) });
  }
  for (const now of input.currentTeams) {
    if (now.source !== "SSO") continue;
    if (!input.desired.teams.has(now.id))
      plan.teamRemovals.push({ id: now.id, from: now.role, ruleId: now.ruleId });
  }
  return plan;
}

const rule = <R>(want: DesiredMembership<R>) => ({ ruleId: want.ruleId, group: want.group });
