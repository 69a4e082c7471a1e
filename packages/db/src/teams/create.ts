/**
 * teams.create's database work in one statement (every round trip costs the API and the
 * database CPU under load): the organization's name, the team and its audit event. On its own a statement is its own transaction, so the team and
 * its event commit together, as in the interactive transaction it replaces.
 */
import { AUDIT_COLUMNS, auditValues, type AuditRow } from "../audit/index.ts";
import { namedStatement, type Database } from "../client.ts";

export interface CreatedTeam {
  id: string;
  name: string;
  organization: { id: string; name: string } | null;
  alwaysFree: boolean;
  lastPaymentAt: Date | null;
  createdAt: Date;
}

/**
 * Inserts the team and its audit event (target_id: the new team's id). Null when
 * `organizationId` names no organization (nothing is written).
 */
export async function createTeamWithAudit(
  db: Pick<Database, "pool">,
  team: { name: string; organizationId: string | null; alwaysFree: boolean; now: Date },
  audit: Omit<AuditRow, "targetId">,
): Promise<CreatedTeam | null> {
  const event = auditValues(audit, 5);
  const text = `
    WITH org AS MATERIALIZED (
           SELECT id::text, name FROM organizations WHERE id = $2::uuid),
         ins AS (
           INSERT INTO teams (name, organization_id, always_free, created_at, updated_at)
           SELECT $1, $2::uuid, $3::boolean, $4::timestamptz, $4::timestamptz
            WHERE $2::uuid IS NULL OR EXISTS (SELECT 1 FROM org)
           RETURNING id, name, always_free, last_payment_at, created_at),
         ev AS (
           INSERT INTO audit_events (${AUDIT_COLUMNS})
           SELECT ${event.sql}, ins.id::text FROM ins)
    SELECT ins.id::text, ins.name, ins.always_free, ins.last_payment_at, ins.created_at,
           org.id AS org_id, org.name AS org_name
      FROM ins LEFT JOIN org ON true`;
  const { rows } = await db.pool.query<{
    id: string;
    name: string;
    always_free: boolean;
    last_payment_at: Date | null;
    created_at: Date;
    org_id: string | null;
    org_name: string | null;
  }>(
    namedStatement(db.pool, text, [
      team.name,
      team.organizationId,
      team.alwaysFree,
      team.now,
      ...event.values,
    ]),
  );
  const row = rows[0];
  if (!row) return null;
  return {
    id: row.id,
    name: row.name,
    organization:
      row.org_id !== null && row.org_name !== null ? { id: row.org_id, name: row.org_name } : null,
    alwaysFree: row.always_free,
    lastPaymentAt: row.last_payment_at,
    createdAt: row.created_at,
  };
}
