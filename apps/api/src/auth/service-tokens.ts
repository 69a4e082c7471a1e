/**
 * Service tokens for internal callers (`Authorization: Bearer ghst_...`). A token acts
 * with its scope, bounded by what its creator may do now (core `serviceTokenAuthority`):
 * an admin-scoped token as a system admin while its creator is an active system admin; an
 * organization-scoped token as that organization's admin while its creator is an active
 * ORG_ADMIN of it (or an active system admin). Otherwise it is refused like an unknown one.
 */
import {
  serviceTokenAuthority,
  serviceTokensStoppedBy,
  serviceTokenTouchDue,
  type Actor,
  type OrgRole,
  type ServiceTokenCreatorFacts,
} from "@gatehouse/core";
import {
  findServiceTokenAuthority,
  liveServiceTokensOfCreator,
  touchServiceToken,
  type Database,
  type Tx,
} from "@gatehouse/db";
import { hashToken, SERVICE_TOKEN_PREFIX } from "./tokens.ts";

export async function resolveServiceToken(
  db: Database,
  token: string,
  now: Date,
): Promise<Actor | null> {
  if (!token.startsWith(SERVICE_TOKEN_PREFIX)) return null;
  // The token and its creator's current rights, in one query.
  const row = await findServiceTokenAuthority(db, hashToken(token));
  if (!row) return null;
  const verdict = serviceTokenAuthority(
    {
      id: row.id,
      scope: row.scope,
      organizationId: row.organization_id,
      revokedAt: row.revoked_at,
    },
    row.creator_active === null
      ? null
      : {
          isActive: row.creator_active,
          isSystemAdmin: row.creator_system_admin === true,
          orgRole: row.creator_org_role,
        },
  );
  if (!verdict.valid) return null;
  if (serviceTokenTouchDue(row.last_used_at, now)) {
    // At most once a minute per token, like a session's "last seen": a busy service
    // would otherwise write this row on every request.
    await touchServiceToken(db, row.id, now);
  }
  return verdict.actor;
}

/**
 * The live tokens a change to their creator stops (for the audit event of a demotion, a
 * disable, an org role change). Call inside the changing transaction; `transition` gives,
 * from the creator's facts as stored now (for each token's organization), their facts
 * before and after the change.
 */
export async function serviceTokensStoppedByChange(
  tx: Tx,
  userId: string,
  transition: (
    current: ServiceTokenCreatorFacts,
    token: { organizationId: string | null },
  ) => { before: ServiceTokenCreatorFacts; after: ServiceTokenCreatorFacts },
): Promise<{ id: string; name: string }[]> {
  const rows = await liveServiceTokensOfCreator(tx, userId);
  return serviceTokensStoppedBy(
    rows.map((row) => {
      const current: ServiceTokenCreatorFacts = {
        isActive: row.creator_active === true,
        isSystemAdmin: row.creator_system_admin === true,
        orgRole: row.creator_org_role,
      };
      return {
        id: row.id,
        name: row.name,
        scope: row.scope,
        organizationId: row.organization_id,
        revokedAt: row.revoked_at,
        ...transition(current, { organizationId: row.organization_id }),
      };
    }),
  );
}

/**
 * The user's tokens stopped by their losing `from` (ORG_ADMIN) in one organization (a
 * demotion or a removal): call it after the change, when the stored role there is the
 * "after"; the "before" is `from` there and the stored facts elsewhere.
 */
export function serviceTokensStoppedByOrgRoleLoss(
  tx: Tx,
  change: { userId: string; organizationId: string; from: OrgRole | null },
): Promise<{ id: string; name: string }[]> {
  return serviceTokensStoppedByChange(tx, change.userId, (current, token) => ({
    before:
      token.organizationId === change.organizationId
        ? { ...current, orgRole: change.from }
        : current,
    after: current,
  }));
}
