/**
 * What a service token may do: never more than the person who created it may do now.
 *   admin scope: acts as a system admin while its creator is an active system admin;
 *   organization scope: acts as that organization's admin while its creator is active and
 *   an ORG_ADMIN of it, or an active system admin (never wider than the organization).
 * A token whose creator is disabled, lost the right, or is unknown has no authority: the
 * API answers 401 as for an unknown token. A demoted-but-active creator's admin token is
 * 401 too, not a narrower token: a token was issued for one scope, and quietly acting with
 * less would hide from its service that an operator took the right away.
 * Re-granting the creator the right makes the token work again; revoke it to end it.
 */
import type { Actor } from "./actor.ts";
import type { OrgRole } from "./roles.ts";

export interface ServiceTokenFacts {
  id: string;
  scope: "ADMIN" | "ORGANIZATION";
  organizationId: string | null;
  revokedAt: Date | null;
}

/** The creator as they are now; `orgRole` is their role in the token's organization. */
export interface ServiceTokenCreatorFacts {
  isActive: boolean;
  isSystemAdmin: boolean;
  orgRole: OrgRole | null;
}

export type ServiceTokenVerdict =
  | { valid: true; actor: Extract<Actor, { kind: "service" }> }
  | {
      valid: false;
      reason: "revoked" | "no-creator" | "creator-disabled" | "creator-lost-right" | "malformed";
    };

export function serviceTokenAuthority(
  token: ServiceTokenFacts,
  creator: ServiceTokenCreatorFacts | null,
): ServiceTokenVerdict {
  if (token.revokedAt) return { valid: false, reason: "revoked" };
  if (!creator) return { valid: false, reason: "no-creator" };
  if (!creator.isActive) return { valid: false, reason: "creator-disabled" };
  if (token.scope === "ADMIN") {
    if (!creator.isSystemAdmin) return { valid: false, reason: "creator-lost-right" };
    return {
      valid: true,
      actor: { kind: "service", serviceTokenId: token.id, isSystemAdmin: true, adminOrgIds: [] },
    };
  }
  if (token.organizationId === null) return { valid: false, reason: "malformed" };
  if (!creator.isSystemAdmin && creator.orgRole !== "ORG_ADMIN")
    return { valid: false, reason: "creator-lost-right" };
  return {
    valid: true,
    actor: {
      kind: "service",
      serviceTokenId: token.id,
      isSystemAdmin: false,
      adminOrgIds: [token.organizationId],
    },
  };
}

/** Tokens that work under `before` and not under `after` (for the audit of a demotion). */
export function serviceTokensStoppedBy(
  tokens: readonly (ServiceTokenFacts & {
    name: string;
    before: ServiceTokenCreatorFacts;
    after: ServiceTokenCreatorFacts;
  })[],
): { id: string; name: string }[] {
  return tokens
    .filter(
      (t) => serviceTokenAuthority(t, t.before).valid && !serviceTokenAuthority(t, t.after).valid,
    )
    .map((t) => ({ id: t.id, name: t.name }));
}

/** Last use is written at most this often per token (like a session's "last seen"). */
export const SERVICE_TOKEN_TOUCH_INTERVAL_MS = 60_000;

export function serviceTokenTouchDue(lastUsedAt: Date | null, now: Date): boolean {
  return (
    lastUsedAt === null || now.getTime() - lastUsedAt.getTime() >= SERVICE_TOKEN_TOUCH_INTERVAL_MS
  );
}
