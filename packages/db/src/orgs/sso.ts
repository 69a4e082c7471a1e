/**
 * Enforced single sign-on per organization: the flag, whether a provider can sign its
 * members in, the password sessions enforcing ends, and the question password sign-in,
 * password reset and invitations ask (`ssoRequired`, core's rule on the facts read here).
 */
import { ssoRequired as ssoRequiredRule } from "@gatehouse/core";
import type { Database } from "../client.ts";
import type { Tx } from "../transaction.ts";

/** Sets the flag; returns what it was (undefined: no such organization). */
export async function setOrganizationSsoEnforced(
  tx: Tx,
  organizationId: string,
  enforced: boolean,
): Promise<boolean | undefined> {
  const [row] = await tx.$queryRaw<{ sso_enforced: boolean }[]>`
    SELECT sso_enforced FROM organizations WHERE id = ${organizationId}::uuid FOR NO KEY UPDATE`;
  if (!row) return undefined;
  if (row.sso_enforced !== enforced)
    await tx.organization.update({
      where: { id: organizationId },
      data: { ssoEnforced: enforced },
    });
  return row.sso_enforced;
}

/**
 * Whether some provider can sign the organization's members in: one of the organization's
 * own, or a global one with a group rule for it.
 */
export async function organizationHasSsoProvider(tx: Tx, organizationId: string): Promise<boolean> {
  const provider = await tx.identityProvider.findFirst({
    where: {
      OR: [{ organizationId }, { organizationId: null, groupRules: { some: { organizationId } } }],
    },
    select: { id: true },
  });
  return provider !== null;
}

/**
 * Ends the live PASSWORD sessions of the organization's members who are not system
 * administrators. Returns the users whose sessions ended, with how many.
 */
export async function revokeOrgPasswordSessions(
  tx: Tx,
  organizationId: string,
  now: Date,
): Promise<{ sessions: number; users: number }> {
  const [row] = await tx.$queryRaw<{ sessions: number; users: number }[]>`
    WITH ended AS (
      UPDATE sessions s SET revoked_at = ${now}::timestamptz
        FROM organization_members m JOIN users u ON u.id = m.user_id
       WHERE m.organization_id = ${organizationId}::uuid AND s.user_id = m.user_id
         AND NOT u.is_system_admin AND s.revoked_at IS NULL
         AND s.auth_method <> 'SSO'
      RETURNING s.user_id)
    SELECT count(*)::int AS sessions, count(DISTINCT user_id)::int AS users FROM ended`;
  return row ?? { sessions: 0, users: 0 };
}

/** Whether this user must sign in by SSO (false for an unknown user). */
export async function ssoRequired(db: Pick<Database, "prisma">, userId: string): Promise<boolean> {
  return (await ssoFacts(db.prisma, userId))?.required ?? false;
}

/**
 * Whether this user signs in only by SSO: SSO is required of them, or the account has no
 * password (made by SSO, or by an invitation where SSO was enforced). A password reset
 * then points them to their identity provider instead of minting a token.
 */
export async function signsInBySso(tx: Tx, userId: string): Promise<boolean> {
  const facts = await ssoFacts(tx, userId);
  return facts !== null && (facts.required || !facts.hasPassword);
}

async function ssoFacts(
  client: Pick<Tx, "user">,
  userId: string,
): Promise<{ required: boolean; hasPassword: boolean } | null> {
  const user = await client.user.findUnique({
    where: { id: userId },
    select: {
      isSystemAdmin: true,
      passwordHash: true,
      orgMemberships: {
        where: { organization: { ssoEnforced: true } },
        select: { organizationId: true },
        take: 1,
      },
    },
  });
  if (!user) return null;
  return {
    required: ssoRequiredRule({
      isSystemAdmin: user.isSystemAdmin,
      memberOfEnforcingOrganization: user.orgMemberships.length > 0,
    }),
    hasPassword: user.passwordHash !== null,
  };
}
