/**
 * An organization is never left without an ORG_ADMIN: no removal and no role change may
 * take its admin count from one to zero, whoever asks (a system admin included). An
 * organization that has none yet (just created) may still get members. The database side
 * (packages/db `changeOrgMembership`) evaluates this under a lock on the organization row.
 */
import { preconditionFailed } from "./errors.ts";
import type { OrgRole } from "./roles.ts";

export interface OrgMembershipChange {
  /** ORG_ADMINs of the organization now, the target included. */
  adminsNow: number;
  /** The target's role now; null when not a member. */
  from: OrgRole | null;
  /** The target's role after; null for a removal. */
  to: OrgRole | null;
}

export function leavesOrgWithoutAdmin(change: OrgMembershipChange): boolean {
  const losesAdmin = change.from === "ORG_ADMIN" && change.to !== "ORG_ADMIN";
  return losesAdmin && change.adminsNow <= 1;
}

/** Throws PRECONDITION_FAILED when the change would leave the organization without an admin. */
export function assertOrgKeepsAdmin(change: OrgMembershipChange): void {
  if (leavesOrgWithoutAdmin(change)) {
    throw preconditionFailed(
      "An organization must keep at least one organization admin: make someone else ORG_ADMIN first",
    );
  }
}
