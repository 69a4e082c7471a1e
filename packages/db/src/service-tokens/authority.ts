/**
 * What a service token may do depends on its creator's rights now: these reads return a
 * token with its creator's current facts, for core `serviceTokenAuthority` and
 * `serviceTokensStoppedBy` to judge.
 */
import type { OrgRole } from "@gatehouse/core";
import type { Database } from "../client.ts";
import type { Tx } from "../transaction.ts";

export interface ServiceTokenAuthorityRow {
  id: string;
  scope: "ADMIN" | "ORGANIZATION";
  organization_id: string | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  /** Null when the token has no creator (or the creator row is gone). */
  creator_active: boolean | null;
  creator_system_admin: boolean | null;
  creator_org_role: OrgRole | null;
}

/** The token with this hash and its creator's current rights, in one query. */
export async function findServiceTokenAuthority(
  db: Pick<Database, "pool">,
  tokenHash: string,
): Promise<ServiceTokenAuthorityRow | null> {
  const { rows } = await db.pool.query<ServiceTokenAuthorityRow>(
    `SELECT t.id, t.scope, t.organization_id, t.revoked_at, t.last_used_at,
            u.is_active AS creator_active, u.is_system_admin AS creator_system_admin,
            om.role AS creator_org_role
       FROM service_tokens t
       LEFT JOIN users u ON u.id = t.created_by_id
       LEFT JOIN organization_members om
              ON om.organization_id = t.organization_id AND om.user_id = t.created_by_id
      WHERE t.token_hash = $1`,
    [tokenHash],
  );
  return rows[0] ?? null;
}

/** Records a use (the caller writes it at most once a minute per token). */
export async function touchServiceToken(
  db: Pick<Database, "pool">,
  tokenId: string,
  now: Date,
): Promise<void> {
  await db.pool.query(
    `UPDATE service_tokens SET last_used_at = $2 WHERE id = $1 AND revoked_at IS NULL`,
    [tokenId, now],
  );
}

/** A user's live tokens with the user's rights as stored now, oldest first. */
export function liveServiceTokensOfCreator(
  tx: Tx,
  userId: string,
): Promise<(ServiceTokenAuthorityRow & { name: string })[]> {
  return tx.$queryRaw<(ServiceTokenAuthorityRow & { name: string })[]>`
    SELECT t.id::text, t.name, t.scope::text AS scope, t.organization_id::text, t.revoked_at, t.last_used_at,
           u.is_active AS creator_active, u.is_system_admin AS creator_system_admin,
           om.role::text AS creator_org_role
      FROM service_tokens t
      JOIN users u ON u.id = t.created_by_id
      LEFT JOIN organization_members om
             ON om.organization_id = t.organization_id AND om.user_id = t.created_by_id
     WHERE t.created_by_id = ${userId}::uuid AND t.revoked_at IS NULL
     ORDER BY t.created_at, t.id`;
}
