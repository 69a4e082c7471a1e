/**
 * The people channel's writes, inside the dispatch's transaction: one in-app notification per
 * person an event concerns, and the people to mail. Recipient groups (core RecipientGroup)
 * resolve to people in one set-based statement each, however many admins there are.
 */
import type { EventType, RecipientGroup } from "@gatehouse/core";
import { Prisma } from "../generated/prisma/client.ts";
import type { Tx } from "../transaction.ts";

export interface EventAudience {
  organizationId: string | null;
  teamId: string | null;
  groups: readonly RecipientGroup[];
}

/** The active people in the groups, as one subquery of user ids (no duplicates by UNION). */
function audienceSql(audience: EventAudience): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (audience.groups.includes("team_admins") && audience.teamId !== null) {
    parts.push(Prisma.sql`SELECT user_id FROM team_members
      WHERE team_id = ${audience.teamId}::uuid AND role = 'ADMIN'`);
  }
  if (audience.groups.includes("org_admins") && audience.organizationId !== null) {
    parts.push(Prisma.sql`SELECT user_id FROM organization_members
      WHERE organization_id = ${audience.organizationId}::uuid AND role = 'ORG_ADMIN'`);
  }
  if (audience.groups.includes("system_admins")) {
    parts.push(Prisma.sql`SELECT id AS user_id FROM users WHERE is_system_admin`);
  }
  if (parts.length === 0) return Prisma.sql`SELECT NULL::uuid AS user_id WHERE false`;
  return Prisma.join(parts, " UNION ");
}

/**
 * Writes the event's notification for every active person in the groups (once: a person
 * who already has it gets nothing new). Answers how many were written.
 */
export async function insertEventNotifications(
  tx: Tx,
  eventId: string,
  audience: EventAudience,
  at: Date,
): Promise<number> {
  if (audience.groups.length === 0) return 0;
  return tx.$executeRaw(Prisma.sql`
    INSERT INTO notifications (user_id, event_id, created_at)
    SELECT u.id, ${eventId}, ${at}
      FROM users u
     WHERE u.is_active AND u.id IN (${audienceSql(audience)})
    ON CONFLICT (user_id, event_id) DO NOTHING`);
}

export interface MailRecipient {
  userId: string;
  email: string;
}

/** The active people in the groups who did not opt out of mail for the type. */
export async function eventMailRecipients(
  tx: Tx,
  type: EventType,
  audience: EventAudience,
): Promise<MailRecipient[]> {
  if (audience.groups.length === 0) return [];
  const rows = await tx.$queryRaw<Array<{ id: string; email: string }>>(Prisma.sql`
    SELECT u.id::text AS id, u.email
      FROM users u
     WHERE u.is_active AND u.id IN (${audienceSql(audience)})
       AND NOT EXISTS (
         SELECT 1 FROM notification_preferences p
          WHERE p.user_id = u.id AND p.event_type = ${type} AND NOT p.email)
     ORDER BY u.email`);
  return rows.map((r) => ({ userId: r.id, email: r.email }));
}

/** The names an event's mail shows beside its ids (null when the row is gone). */
export async function eventSubjectNames(
  tx: Tx,
  ids: { organizationId: string | null; teamId: string | null },
): Promise<{ teamName: string | null; organizationName: string | null }> {
  const [team, org] = await Promise.all([
    ids.teamId ? tx.team.findUnique({ where: { id: ids.teamId }, select: { name: true } }) : null,
    ids.organizationId
      ? tx.organization.findUnique({ where: { id: ids.organizationId }, select: { name: true } })
      : null,
  ]);
  return { teamName: team?.name ?? null, organizationName: org?.name ?? null };
}
