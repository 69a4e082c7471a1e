/**
 * Whom a caller may find among the platform's people (users.lookup) and add to an
 * organization directly (orgs.addMember): only those they may already see. A system admin
 * sees everyone; a person sees those who share an organization with them; an
 * organization-scoped service token sees its organization's members. Nobody else is
 * reachable by email or id: a person outside joins by an invitation they accept, so an org
 * admin cannot pull a stranger (a system admin included) into their organization.
 */
import type { Actor } from "./actor.ts";

export type UserVisibility =
  | { kind: "everyone" }
  /** People with at least one organization in common with this user. */
  | { kind: "sharesOrganizationWith"; userId: string }
  /** Members of these organizations (none: nobody). */
  | { kind: "membersOf"; organizationIds: readonly string[] };

export function userVisibility(actor: Actor): UserVisibility {
  if (actor.isSystemAdmin) return { kind: "everyone" };
  if (actor.kind === "user") return { kind: "sharesOrganizationWith", userId: actor.userId };
  return { kind: "membersOf", organizationIds: [...actor.adminOrgIds] };
}

/**
 * Whether users.list may show a listed person's platform-wide facts (the system-admin flag
 * and the last sign-in): only to system admins. An org admin manages membership of their
 * organization; whether a member also administers the platform, or when they last signed
 * in anywhere, is not theirs to know.
 */
export function disclosesPlatformFacts(actor: Actor): boolean {
  return actor.isSystemAdmin;
}
