/**
 * Service tokens for internal callers (`Authorization: Bearer ghst_...`). An admin-scoped
 * token acts as a system admin; an organization-scoped token as that organization's admin.
 */
import type { Actor } from "@gatehouse/core";
import type { Database } from "@gatehouse/db";
import { hashToken, SERVICE_TOKEN_PREFIX } from "./tokens.ts";

interface TokenRow {
  id: string;
  scope: "ADMIN" | "ORGANIZATION";
  organization_id: string | null;
}

export async function resolveServiceToken(
  db: Database,
  token: string,
  now: Date,
): Promise<Actor | null> {
  if (!token.startsWith(SERVICE_TOKEN_PREFIX)) return null;
  // Also records last use, in the same round trip.
  const { rows } = await db.pool.query<TokenRow>(
    `UPDATE service_tokens SET last_used_at = $2
      WHERE token_hash = $1 AND revoked_at IS NULL
      RETURNING id, scope, organization_id`,
    [hashToken(token), now],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    kind: "service",
    serviceTokenId: row.id,
    isSystemAdmin: row.scope === "ADMIN",
    adminOrgIds: row.organization_id ? [row.organization_id] : [],
  };
}
