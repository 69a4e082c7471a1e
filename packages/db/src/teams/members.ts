/**
 * teams.addMember and teams.removeMember's database work, each in one statement (issue 14:
 * every round trip costs the API and the database CPU under load). A statement on its own
 * runs in its own transaction, so its locks, write and audit event commit together, as the
 * interactive transactions they replace did (BEGIN, four to six statements, COMMIT).
 */
import type pg from "pg";
import { AUDIT_COLUMNS, auditValues, type AuditRow } from "../audit.ts";
import { namedStatement } from "../client.ts";

export type AddTeamMemberResult =
  | { outcome: "added"; teamId: string; userId: string; role: string }
  /** Unknown or disabled user, or (team of an organization) not a member of it. */
  | { outcome: "userNotFound" }
  | { outcome: "alreadyMember" };

/**
 * Adds `userId` to the team with `role`, and its audit event, when the user exists, is
 * active and (a team of an organization) is a member of the team's organization.
 *
 * The organization membership row is taken FOR KEY SHARE, so it cannot be removed before
 * this statement commits. The insert is ON CONFLICT DO NOTHING: an existing membership, or
 * one a concurrent request committed meanwhile, is "alreadyMember" (and writes no event).
 */
export async function addTeamMember(
  pool: pg.Pool,
  member: {
    teamId: string;
    /** The team's organization (null: none), as the caller's access check read it. */
    organizationId: string | null;
    userId: string;
    role: string;
    now: Date;
  },
  audit: AuditRow,
): Promise<AddTeamMemberResult> {
  const event = auditValues(audit, 7);
  // `om` is read only for a team of an organization. MATERIALIZED: read (and locked) once,
  // whichever of its two readers comes first.
  const text = `
    WITH u AS MATERIALIZED (
           SELECT is_active FROM users WHERE id = $2::uuid),
         om AS MATERIALIZED (
           SELECT 1 FROM organization_members
            WHERE $3::uuid IS NOT NULL AND organization_id = $3::uuid AND user_id = $2::uuid
              FOR KEY SHARE),
         ok AS (
           SELECT 1 FROM u
            WHERE u.is_active AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM om))),
         ins AS (
           INSERT INTO team_members (team_id, user_id, role, created_at)
           SELECT $1::uuid, $2::uuid, $4::"TeamRole", $5::timestamptz FROM ok
           ON CONFLICT (team_id, user_id) DO NOTHING
           RETURNING team_id::text, user_id::text, role::text),
         ev AS (
           INSERT INTO audit_events (${AUDIT_COLUMNS})
           SELECT ${event.sql}, $6 FROM ins)
    SELECT EXISTS (SELECT 1 FROM ok) AS ok, ins.team_id, ins.user_id, ins.role
      FROM (SELECT 1) one LEFT JOIN ins ON true`;
  const { rows } = await pool.query<{
    ok: boolean;
    team_id: string | null;
    user_id: string | null;
    role: string | null;
  }>(
    namedStatement(pool, text, [
      member.teamId,
      member.userId,
      member.organizationId,
      member.role,
      member.now,
      audit.targetId,
      ...event.values,
    ]),
  );
  const row = rows[0]!;
  if (!row.ok) return { outcome: "userNotFound" };
  if (row.team_id === null || row.user_id === null || row.role === null)
    return { outcome: "alreadyMember" };
  return { outcome: "added", teamId: row.team_id, userId: row.user_id, role: row.role };
}

export type RemoveTeamMemberResult =
  | { outcome: "removed"; role: string }
  | { outcome: "notMember" }
  /** The member has a role the caller may not remove (`role`); nothing was changed. */
  | { outcome: "forbidden"; role: string };

/**
 * Removes `userId` from the team, and writes its audit event (`details` gets the removed
 * role as `role`), if their role is one of `removableRoles` (the caller's rights, decided
 * by core for each role beforehand).
 *
 * The membership row is locked FOR UPDATE first (`target`), and the role checked is the one
 * read under that lock: the delete's condition reads only `target`, an uncorrelated subquery
 * PostgreSQL evaluates before it scans team_members. So a concurrent promotion either
 * committed before (its role is the one checked) or waits for this statement.
 */
export async function removeTeamMember(
  pool: pg.Pool,
  member: { teamId: string; userId: string; removableRoles: readonly string[] },
  /** Its details must be a JSON object (the role is added to it). */
  audit: AuditRow,
): Promise<RemoveTeamMemberResult> {
  // The event's details are the caller's, plus the role read under the lock.
  const event = auditValues(
    audit,
    5,
    `jsonb_build_object('role', (SELECT role::text FROM target))`,
  );
  const text = `
    WITH target AS MATERIALIZED (
           SELECT role FROM team_members
            WHERE team_id = $1::uuid AND user_id = $2::uuid FOR UPDATE),
         del AS (
           DELETE FROM team_members
            WHERE team_id = $1::uuid AND user_id = $2::uuid
              AND (SELECT role FROM target) = ANY ($3::"TeamRole"[])
           RETURNING 1),
         ev AS (
           INSERT INTO audit_events (${AUDIT_COLUMNS})
           SELECT ${event.sql}, $4
             FROM del)
    SELECT (SELECT role::text FROM target) AS role, EXISTS (SELECT 1 FROM del) AS removed`;
  const { rows } = await pool.query<{ role: string | null; removed: boolean }>(
    namedStatement(pool, text, [
      member.teamId,
      member.userId,
      member.removableRoles,
      audit.targetId,
      ...event.values,
    ]),
  );
  const row = rows[0]!;
  if (row.removed && row.role !== null) return { outcome: "removed", role: row.role };
  if (row.role === null) return { outcome: "notMember" };
  return { outcome: "forbidden", role: row.role };
}
