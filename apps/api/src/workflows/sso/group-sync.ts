/**
 * The group sync of an SSO sign-in, inside the sign-in's transaction: the memberships the
 * provider's rules grant for the claim's groups are made to match (core ssoSyncPlan), with
 * the consequences of a removal by hand (orgs.removeMember, teams.removeMember: keys
 * `owner_left`, off the proxies, by jobs queued here). Hand-made memberships are left
 * alone. Every change is audited with the rule (and group) behind it.
 *
 * Locks in the order the hand-made paths take them: organizations (changeOrgMembership),
 * then teams in id order (lockTeam) before leaving them.
 */
import {
  desiredSsoMemberships,
  isDomainError,
  ssoSyncPlan,
  type Actor,
  type OrgRole,
} from "@gatehouse/core";
import {
  addSsoTeamMember,
  changeOrgMembership,
  leaveTeams,
  lockTeam,
  markOrgMembershipSso,
  orgTeamMemberships,
  providerGroupRules,
  setSsoTeamRole,
  ssoScopeMemberships,
  type Tx,
} from "@gatehouse/db";
import { auditRow, writeAudit } from "../../audit/write.ts";
import { serviceTokensStoppedByOrgRoleLoss } from "../../auth/service-tokens.ts";

type AuditContext = { actor: Actor | null; requestId: string; clock: { now(): Date } };

/** The groups a claim holds: an array of strings, or one string; anything else none. */
export function groupsOf(claim: unknown): string[] {
  if (typeof claim === "string") return [claim];
  if (Array.isArray(claim)) return claim.filter((g): g is string => typeof g === "string");
  return [];
}

export interface SyncReport {
  added: number;
  changed: number;
  removed: number;
  /** Removals or demotions refused because the organization would lose its last admin. */
  kept: number;
}

export async function syncSsoMemberships(
  tx: Tx,
  ctx: AuditContext,
  sync: { providerId: string; userId: string; groups: readonly string[] },
): Promise<SyncReport> {
  const now = ctx.clock.now();
  const rules = await providerGroupRules(tx, sync.providerId);
  const ruleById = new Map(rules.map((r) => [r.id, r]));
  const ruledOrgIds = new Set(rules.map((r) => r.organizationId));
  const desired = desiredSsoMemberships(rules, sync.groups);
  const current = await ssoScopeMemberships(tx, sync.userId, [...ruledOrgIds]);
  const plan = ssoSyncPlan({
    desired,
    ruledOrgIds,
    currentOrgs: current.orgs,
    currentTeams: current.teams,
  });
  const report: SyncReport = { added: 0, changed: 0, removed: 0, kept: 0 };
  const groupOf = (ruleId: string | null) =>
    ruleId ? (ruleById.get(ruleId)?.group ?? null) : null;
  const audit = (
    action: string,
    targetType: "organization" | "team",
    targetId: string,
    organizationId: string,
    details: Record<string, unknown>,
  ) =>
    writeAudit(tx, ctx, {
      action,
      targetType,
      targetId,
      organizationId,
      details: { userId: sync.userId, providerId: sync.providerId, ...details },
    });
  /** An organization change that would leave it without an admin is kept as it is. */
  const orgChange = async (organizationId: string, to: OrgRole | null) => {
    try {
      return await changeOrgMembership(tx, { organizationId, userId: sync.userId, to, now });
    } catch (error) {
      if (isDomainError(error) && error.code === "PRECONDITION_FAILED") {
        report.kept += 1;
        return null;
      }
      throw error;
    }
  };
  const stoppedTokens = async (organizationId: string, from: OrgRole | null, to: OrgRole | null) =>
    from === "ORG_ADMIN" && to !== "ORG_ADMIN"
      ? {
          stoppedServiceTokens: await serviceTokensStoppedByOrgRoleLoss(tx, {
            userId: sync.userId,
            organizationId,
            from,
          }),
        }
      : {};

  // Organizations first: a team of an organization takes only its members.
  for (const add of plan.orgAdds) {
    if (!(await orgChange(add.id, add.role))) continue;
    await markOrgMembershipSso(tx, {
      organizationId: add.id,
      userId: sync.userId,
      ruleId: add.ruleId,
    });
    await audit("membership.sso_add", "organization", add.id, add.id, {
      role: add.role,
      ruleId: add.ruleId,
      group: add.group,
    });
    report.added += 1;
  }
  for (const change of plan.orgRoleChanges) {
    if (!(await orgChange(change.id, change.role))) continue;
    await markOrgMembershipSso(tx, {
      organizationId: change.id,
      userId: sync.userId,
      ruleId: change.ruleId,
    });
    await audit("membership.sso_role", "organization", change.id, change.id, {
      role: change.role,
      from: change.from,
      ruleId: change.ruleId,
      group: change.group,
      ...(await stoppedTokens(change.id, change.from, change.role)),
    });
    report.changed += 1;
  }

  // Teams, each under its row lock, in id order.
  const removedOrgs = new Set(plan.orgRemovals.map((r) => r.id));
  const teamOrg = new Map(current.teams.map((t) => [t.id, t.organizationId]));
  const teamWork = [
    ...plan.teamAdds.map((c) => ({ kind: "add" as const, id: c.id, change: c })),
    ...plan.teamRoleChanges.map((c) => ({ kind: "role" as const, id: c.id, change: c })),
    ...plan.teamRemovals
      // Leaving the organization below takes the person out of its teams.
      .filter((r) => !removedOrgs.has(teamOrg.get(r.id) ?? ""))
      .map((r) => ({ kind: "remove" as const, id: r.id, removal: r })),
  ].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const work of teamWork) {
    const team = await lockTeam(tx, work.id);
    if (!team?.organizationId) continue;
    if (work.kind === "add") {
      await addSsoTeamMember(
        tx,
        {
          teamId: work.id,
          userId: sync.userId,
          role: work.change.role,
          ruleId: work.change.ruleId,
          now,
        },
        auditRow(ctx, {
          action: "membership.sso_add",
          targetType: "team",
          targetId: work.id,
          organizationId: team.organizationId,
          details: {
            userId: sync.userId,
            providerId: sync.providerId,
            role: work.change.role,
            ruleId: work.change.ruleId,
            group: work.change.group,
          },
        }),
      );
      report.added += 1;
    } else if (work.kind === "role") {
      await setSsoTeamRole(tx, {
        teamId: work.id,
        userId: sync.userId,
        role: work.change.role,
        ruleId: work.change.ruleId,
      });
      await audit("membership.sso_role", "team", work.id, team.organizationId, {
        role: work.change.role,
        from: work.change.from,
        ruleId: work.change.ruleId,
        group: work.change.group,
      });
      report.changed += 1;
    } else {
      await leaveTeams(
        tx,
        { teamIds: [work.id], userId: sync.userId, now },
        auditRow(ctx, {
          action: "membership.sso_remove",
          targetType: "team",
          targetId: work.id,
          organizationId: team.organizationId,
          details: {
            userId: sync.userId,
            providerId: sync.providerId,
            role: work.removal.from,
            ruleId: work.removal.ruleId,
            group: groupOf(work.removal.ruleId),
          },
        }),
      );
      report.removed += 1;
    }
  }

  // Leaving organizations: as orgs.removeMember, every team of it goes too.
  for (const removal of plan.orgRemovals) {
    const change = await orgChange(removal.id, null);
    if (!change) continue;
    const candidates = await orgTeamMemberships(tx, removal.id, sync.userId);
    for (const team of candidates) await lockTeam(tx, team.teamId);
    const teams = await orgTeamMemberships(tx, removal.id, sync.userId);
    const left = await leaveTeams(tx, {
      teamIds: teams.map((t) => t.teamId),
      userId: sync.userId,
      now,
    });
    await audit("membership.sso_remove", "organization", removal.id, removal.id, {
      role: change.from,
      ruleId: removal.ruleId,
      group: groupOf(removal.ruleId),
      teams: teams.map((t) => ({ teamId: t.teamId, name: t.name, role: t.role })),
      blockedKeys: left.blockedKeys,
      ...(await stoppedTokens(removal.id, change.from, null)),
    });
    report.removed += 1;
  }
  return report;
}
