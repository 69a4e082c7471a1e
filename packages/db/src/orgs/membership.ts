/**
 * Every change to an organization's memberships goes through `changeOrgMembership`: it
 * locks the organization row, reads the admin count under that lock and applies core's
 * rule (an organization never loses its last ORG_ADMIN) before writing. Two admins
 * removing or demoting each other at once serialize on the lock; the second sees the first
 * one's change and is refused.
 *
 * The lock is FOR NO KEY UPDATE: it excludes other membership changes of the same
 * organization, but not inserts that merely reference the organization (teams, tokens),
 * which take FOR KEY SHARE.
 */
import { assertOrgKeepsAdmin, notFound, type OrgRole } from "@gatehouse/core";
import type { Prisma } from "../generated/prisma/client.ts";

export interface OrgMembershipResult {
  /** The role before (null: was not a member). */
  from: OrgRole | null;
  /** The role after (null: removed). */
  to: OrgRole | null;
}

/**
 * Sets (`to` a role: adds or changes) or removes (`to` null) one membership. Throws
 * NOT_FOUND for an unknown organization, or when removing someone who is not a member;
 * PRECONDITION_FAILED when the organization would be left without an admin.
 */
export async function changeOrgMembership(
  tx: Prisma.TransactionClient,
  change: { organizationId: string; userId: string; to: OrgRole | null; now: Date },
): Promise<OrgMembershipResult> {
  const [org] = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text FROM organizations WHERE id = ${change.organizationId}::uuid FOR NO KEY UPDATE`;
  if (!org) throw notFound("Organization");
  // Read after the lock is held (a separate statement: under READ COMMITTED each one sees
  // what committed before it started, so this sees a concurrent change that just ended).
  const [fresh] = await tx.$queryRaw<{ admins: number; role: OrgRole | null }[]>`
    SELECT (SELECT count(*)::int FROM organization_members m
             WHERE m.organization_id = ${change.organizationId}::uuid AND m.role = 'ORG_ADMIN') AS admins,
           (SELECT m.role::text FROM organization_members m
             WHERE m.organization_id = ${change.organizationId}::uuid AND m.user_id = ${change.userId}::uuid) AS role`;
  const from = fresh?.role ?? null;
  if (change.to === null && from === null) throw notFound("Organization member");
  assertOrgKeepsAdmin({ adminsNow: fresh?.admins ?? 0, from, to: change.to });

  const key = {
    organizationId_userId: { organizationId: change.organizationId, userId: change.userId },
  };
  if (change.to === null) {
    await tx.organizationMember.delete({ where: key });
  } else if (from === null) {
    await tx.organizationMember.create({
      data: {
        organizationId: change.organizationId,
        userId: change.userId,
        role: change.to,
        createdAt: change.now,
      },
    });
  } else if (from !== change.to) {
    await tx.organizationMember.update({ where: key, data: { role: change.to } });
  }
  return { from, to: change.to };
}
