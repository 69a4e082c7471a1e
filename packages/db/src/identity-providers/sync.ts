/**
 * The group sync's reads and writes. The plan is core's (ssoSyncPlan); removals reuse the
 * offboarding code (orgs: changeOrgMembership + leaveTeams; teams: leaveTeams), so an SSO
 * removal has the consequences of a removal by hand (keys `owner_left`, off the proxies).
 */
import type { OrgRole, TeamRole, CurrentMembership } from "@gatehouse/core";
import { AUDIT_COLUMNS, type AuditRow } from "../audit/index.ts";
import { Prisma } from "../generated/prisma/client.ts";
import type { Tx } from "../transaction.ts";

/** The person's memberships of these organizations and of their teams. */
export async function ssoScopeMemberships(
  tx: Tx,
  userId: string,
  organizationIds: readonly string[],
): Promise<{
  orgs: CurrentMembership<OrgRole>[];
  teams: (CurrentMembership<TeamRole> & { organizationId: string })[];
}> {
  if (organizationIds.length === 0) return { orgs: [], teams: [] };
  const [orgs, teams] = await Promise.all([
    tx.organizationMember.findMany({
      where: { userId, organizationId: { in: [...organizationIds] } },
      select: { organizationId: true, role: true, source: true, sourceRuleId: true },
    }),
    tx.teamMember.findMany({
      where: { userId, team: { organizationId: { in: [...organizationIds] } } },
      select: {
        teamId: true,
        role: true,
        source: true,
        sourceRuleId: true,
        team: { select: { organizationId: true } },
      },
    }),
  ]);
  return {
    orgs: orgs.map((m) => ({
      id: m.organizationId,
      role: m.role,
      source: m.source,
      ruleId: m.sourceRuleId,
    })),
    teams: teams.map((m) => ({
      id: m.teamId,
      role: m.role,
      source: m.source,
      ruleId: m.sourceRuleId,
      organizationId: m.team.organizationId ?? "",
    })),
  };
}

/** Marks an organization membership as made (or last set) by an SSO rule. */
export async function markOrgMembershipSso(
  tx: Tx,
  membership: { organizationId: string; userId: string; ruleId: string },
): Promise<void> {
  await tx.organizationMember.update({
    where: {
      organizationId_userId: {
        organizationId: membership.organizationId,
        userId: membership.userId,
      },
    },
    data: { source: "SSO", sourceRuleId: membership.ruleId },
  });
}

/**
 * Adds the person to a team as an SSO membership (the caller holds the team row and the
 * organization membership), lifting `owner_left` from the keys they had made there and
 * queueing their reinstatement, as teams.addMember does. With its audit event.
 */
export async function addSsoTeamMember(
  tx: Tx,
  member: { teamId: string; userId: string; role: TeamRole; ruleId: string; now: Date },
  audit: AuditRow,
): Promise<void> {
  await tx.$queryRaw`
    WITH ins AS (
           INSERT INTO team_members (team_id, user_id, role, created_at, source, source_rule_id)
           VALUES (${member.teamId}::uuid, ${member.userId}::uuid, ${member.role}::"TeamRole",
                   ${member.now}::timestamptz, 'SSO', ${member.ruleId}::uuid)
           ON CONFLICT (team_id, user_id) DO NOTHING
           RETURNING team_id),
         lift AS (
           DELETE FROM api_key_blocks b USING api_keys k, ins
            WHERE k.team_id = ${member.teamId}::uuid AND k.creator_id = ${member.userId}::uuid
              AND b.api_key_id = k.id AND b.reason = 'owner_left'
           RETURNING k.id, k.region_id),
         reinstate AS (
           INSERT INTO jobs (kind, payload, region_id, api_key_id)
           SELECT 'litellm.reinstateKey', jsonb_build_object('keyId', id::text), region_id, id
             FROM lift),
         ev AS (
           INSERT INTO audit_events (${Prisma.raw(AUDIT_COLUMNS)})
           SELECT ${audit.actorUserId}::uuid, ${audit.actorServiceTokenId}::uuid, ${audit.action},
                  ${audit.targetType}, ${audit.organizationId}::uuid,
                  ${JSON.stringify(audit.details)}::jsonb
                    || jsonb_build_object('reinstatedKeys', (SELECT count(*) FROM lift)),
                  ${audit.requestId}, ${audit.createdAt}::timestamptz, ${audit.targetId}
             FROM ins)
    SELECT 1 AS done`;
}

/** Sets an SSO team membership's role (and the rule that now grants it). */
export async function setSsoTeamRole(
  tx: Tx,
  member: { teamId: string; userId: string; role: TeamRole; ruleId: string },
): Promise<void> {
  await tx.teamMember.update({
    where: { teamId_userId: { teamId: member.teamId, userId: member.userId } },
    data: { role: member.role, sourceRuleId: member.ruleId },
  });
}
