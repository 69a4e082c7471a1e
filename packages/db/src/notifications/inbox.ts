/**
 * What a person reads of their notifications (notifications.list, markRead): their own rows
 * only, newest first, keyset-paged on (created_at, id); the unread ones from the partial
 * index notifications_user_unread_idx.
 */
import { Prisma } from "../generated/prisma/client.ts";
import type { Database } from "../client.ts";
import type { Tx } from "../transaction.ts";

export interface NotificationRow {
  id: string;
  eventId: string;
  type: string;
  data: unknown;
  createdAt: Date;
  readAt: Date | null;
  /** The event's organization and team, null where the reader may no longer see them. */
  organizationId: string | null;
  organizationName: string | null;
  teamId: string | null;
  teamName: string | null;
}

export interface NotificationPage {
  unreadOnly: boolean;
  after: { createdAt: Date; id: string } | null;
  take: number;
}

/**
 * One page of the person's notifications. A team (organization) is named only while the
 * reader can see it: a member of the team or an admin of its organization (a member of the
 * organization), or a system admin; someone who left keeps the notification, not the name.
 */
export async function listNotifications(
  db: Pick<Database, "prisma">,
  userId: string,
  page: NotificationPage,
): Promise<NotificationRow[]> {
  const unread = page.unreadOnly ? Prisma.sql`AND n.read_at IS NULL` : Prisma.empty;
  const after = page.after
    ? Prisma.sql`AND (n.created_at, n.id) < (${page.after.createdAt}::timestamptz, ${page.after.id}::uuid)`
    : Prisma.empty;
  const rows = await db.prisma.$queryRaw<
    Array<{
      id: string;
      event_id: string;
      type: string;
      data: unknown;
      created_at: Date;
      read_at: Date | null;
      organization_id: string | null;
      organization_name: string | null;
      team_id: string | null;
      team_name: string | null;
    }>
  >(Prisma.sql`
    SELECT n.id::text AS id, n.event_id, e.type, e.data, n.created_at, n.read_at,
           CASE WHEN org_visible THEN o.id::text END AS organization_id,
           CASE WHEN org_visible THEN o.name END AS organization_name,
           CASE WHEN team_visible THEN t.id::text END AS team_id,
           CASE WHEN team_visible THEN t.name END AS team_name
      FROM notifications n
      JOIN events e ON e.id = n.event_id
      JOIN users me ON me.id = n.user_id
      LEFT JOIN organizations o ON o.id = e.organization_id
      LEFT JOIN teams t ON t.id = e.team_id
      CROSS JOIN LATERAL (SELECT
        o.id IS NOT NULL AND (me.is_system_admin OR EXISTS (
          SELECT 1 FROM organization_members om
           WHERE om.organization_id = o.id AND om.user_id = me.id)) AS org_visible,
        t.id IS NOT NULL AND (me.is_system_admin
          OR EXISTS (SELECT 1 FROM team_members tm WHERE tm.team_id = t.id AND tm.user_id = me.id)
          OR EXISTS (SELECT 1 FROM organization_members om
                      WHERE om.organization_id = t.organization_id AND om.user_id = me.id
                        AND om.role = 'ORG_ADMIN')) AS team_visible) v
     WHERE n.user_id = ${userId}::uuid ${unread} ${after}
     ORDER BY n.created_at DESC, n.id DESC
     LIMIT ${page.take}`);
  return rows.map((r) => ({
    id: r.id,
    eventId: r.event_id,
    type: r.type,
    data: r.data,
    createdAt: r.created_at,
    readAt: r.read_at,
    organizationId: r.organization_id,
    organizationName: r.organization_name,
    teamId: r.team_id,
    teamName: r.team_name,
  }));
}

export async function countUnreadNotifications(
  db: Pick<Database, "prisma"> | Tx,
  userId: string,
): Promise<number> {
  const reader: Pick<Tx, "notification"> = "prisma" in db ? db.prisma : db;
  return reader.notification.count({ where: { userId, readAt: null } });
}

/**
 * Marks the person's own unread notifications among `ids` read; ids of others' (or unknown)
 * notifications change nothing. Answers how many were marked.
 */
export async function markNotificationsRead(
  tx: Tx,
  userId: string,
  ids: readonly string[],
  at: Date,
): Promise<number> {
  if (ids.length === 0) return 0;
  const { count } = await tx.notification.updateMany({
    where: { id: { in: [...ids] }, userId, readAt: null },
    data: { readAt: at },
  });
  return count;
}
