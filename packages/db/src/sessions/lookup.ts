/**
 * The session lookup of every request: one named statement reads the session, its user and
 * the user's org-admin memberships; the sliding expiry is written separately, when due.
 */
import { namedStatement, type Database } from "../client.ts";

/** The database facts a session lookup reads (sessions JOIN users, org-admin memberships). */
export interface SessionFacts {
  id: string;
  user_id: string;
  idle_expires_at: Date;
  absolute_expires_at: Date;
  last_seen_at: Date;
  revoked_at: Date | null;
  is_active: boolean;
  is_system_admin: boolean;
  admin_org_ids: readonly string[];
}

export async function findSessionFacts(
  db: Pick<Database, "pool">,
  tokenHash: string,
): Promise<SessionFacts | null> {
  const { rows } = await db.pool.query<SessionFacts>(
    namedStatement(
      db.pool,
      `SELECT s.id, s.user_id, s.idle_expires_at, s.absolute_expires_at, s.last_seen_at,
            s.revoked_at, u.is_active, u.is_system_admin,
            ARRAY(SELECT om.organization_id::text FROM organization_members om
                   WHERE om.user_id = u.id AND om.role = 'ORG_ADMIN') AS admin_org_ids
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.token_hash = $1`,
      [tokenHash],
    ),
  );
  return rows[0] ?? null;
}

/** Writes the sliding expiry; conditional on the session still being live, so a concurrent revoke wins. */
export async function touchSession(
  db: Pick<Database, "pool">,
  sessionId: string,
  now: Date,
  idleExpiresAt: Date,
): Promise<void> {
  await db.pool.query(
    `UPDATE sessions SET last_seen_at = $2, idle_expires_at = $3
        WHERE id = $1 AND revoked_at IS NULL`,
    [sessionId, now, idleExpiresAt],
  );
}
