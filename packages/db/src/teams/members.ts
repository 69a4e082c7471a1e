/**
 * teams.addMember's database work, in one statement (every round trip costs the API
 * and the database CPU under load). A statement on its own
 * runs in its own transaction, so its locks, write and audit event commit together, as the
 * interactive transactions they replace did (BEGIN, four to six statements, COMMIT).
 */
import type { TeamRole, UserVisibility } from "@gatehouse/core";
import { AUDIT_COLUMNS, auditValues, type AuditRow } from "../audit/index.ts";
import { namedStatement, type Database } from "../client.ts";
import type { Prisma } from "../generated/prisma/client.ts";

export type AddTeamMemberResult =
  | { outcome: "added"; teamId: string; userId: string; role: string }
  /**
   * Unknown or disabled user, (team of an organization) not a member of it, or (team of
   * no organization) not someone the caller may see.
   */
  | { outcome: "userNotFound" }
  | { outcome: "alreadyMember" };

/**
 * Adds `userId` to the team with `role`, and its audit event, when the user exists, is
 * active and (a team of an organization) is a member of the team's organization, or (a
 * team of no organization) is someone the caller may already see (core userVisibility):
 * otherwise a team admin could pull any person on the platform, by id, into their team.
 *
 * The organization membership row is taken FOR KEY SHARE, so it cannot be removed before
 * this statement commits. The insert is ON CONFLICT DO NOTHING: an existing membership, or
 * one a concurrent request committed meanwhile, is "alreadyMember" (and writes no event).
 */
export async function addTeamMember(
  db: Pick<Database, "pool">,
  member: {
    teamId: string;
    /** The team's organization (null: none), as the caller's access check read it. */
    organizationId: string | null;
    userId: string;
    role: string;
    now: Date;
    /** Whom the caller may see; checked for a team of no organization only. */
    visibility: UserVisibility;
  },
  audit: AuditRow,
): Promise<AddTeamMemberResult> {
  // The event also says how many of the person's keys in the team got `owner_left` lifted.
  const event = auditValues(
    audit,
    10,
    `jsonb_build_object('reinstatedKeys', (SELECT count(*) FROM lift))`,
  );
  // `om` is read only for a team of an organization. MATERIALIZED: read (and locked) once,
  // whichever of its two readers comes first. `seen` ($7 the visibility's kind, $8 the
  // caller who must share an organization with the person, $9 the organizations whose
  // members a token sees) only for a team of no organization.
  const text = `
    WITH u AS MATERIALIZED (
           SELECT is_active FROM users WHERE id = $2::uuid),
         om AS MATERIALIZED (
           SELECT 1 FROM organization_members
            WHERE $3::uuid IS NOT NULL AND organization_id = $3::uuid AND user_id = $2::uuid
              FOR KEY SHARE),
         seen AS (
           SELECT 1 FROM organization_members v
            WHERE $3::uuid IS NULL AND v.user_id = $2::uuid
              AND (($7::text = 'sharesOrganizationWith'
                    AND v.organization_id IN (SELECT c.organization_id FROM organization_members c
                                               WHERE c.user_id = $8::uuid))
                OR ($7::text = 'membersOf' AND v.organization_id = ANY($9::uuid[])))),
         ok AS (
           SELECT 1 FROM u
            WHERE u.is_active
              AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM om))
              AND ($3::uuid IS NOT NULL OR $7::text = 'everyone' OR EXISTS (SELECT 1 FROM seen))),
         ins AS (
           INSERT INTO team_members (team_id, user_id, role, created_at)
           SELECT $1::uuid, $2::uuid, $4::"TeamRole", $5::timestamptz FROM ok
           ON CONFLICT (team_id, user_id) DO NOTHING
           RETURNING team_id::text, user_id::text, role::text),
         -- Back in the team: the keys they created here work again (teams/leave.ts). The
         -- reinstate job restores a key the proxy deleted with the member (LiteLLM 17057).
         lift AS (
           DELETE FROM api_key_blocks b USING api_keys k, ins
            WHERE k.team_id = $1::uuid AND k.creator_id = $2::uuid AND b.api_key_id = k.id
              AND b.reason = 'owner_left'
           RETURNING k.id, k.region_id),
         reinstate AS (
           INSERT INTO jobs (kind, payload, region_id, api_key_id)
           SELECT 'litellm.reinstateKey', jsonb_build_object('keyId', id::text), region_id, id
             FROM lift),
         ev AS (
           INSERT INTO audit_events (${AUDIT_COLUMNS})
           SELECT ${event.sql}, $6 FROM ins)
    SELECT EXISTS (SELECT 1 FROM ok) AS ok, ins.team_id, ins.user_id, ins.role
      FROM (SELECT 1) one LEFT JOIN ins ON true`;
  const { rows } = await db.pool.query<{
    ok: boolean;
    team_id: string | null;
    user_id: string | null;
    role: string | null;
  }>(
    namedStatement(db.pool, text, [
      member.teamId,
      member.userId,
      member.organizationId,
      member.role,
      member.now,
      audit.targetId,
      member.visibility.kind,
      member.visibility.kind === "sharesOrganizationWith" ? member.visibility.userId : null,
      member.visibility.kind === "membersOf" ? [...member.visibility.organizationIds] : [],
      ...event.values,
    ]),
  );
  const row = rows[0]!;
  if (!row.ok) return { outcome: "userNotFound" };
  if (row.team_id === null || row.user_id === null || row.role === null)
    return { outcome: "alreadyMember" };
  return { outcome: "added", teamId: row.team_id, userId: row.user_id, role: row.role };
}

/** Sets a member's role (teams.setMemberRole; the caller locked and checked the membership). */
export async function setTeamMemberRole(
  tx: Prisma.TransactionClient,
  teamId: string,
  userId: string,
  role: TeamRole,
): Promise<{ teamId: string; userId: string; role: TeamRole }> {
  const updated = await tx.teamMember.update({
    where: { teamId_userId: { teamId, userId } },
    data: { role },
  });
  return { teamId: updated.teamId, userId: updated.userId, role: updated.role };
}
