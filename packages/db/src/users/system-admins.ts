/**
 * The system-administrator set never becomes empty. Every change of a user that can remove
 * an admin (demotion, disabling) goes through `lockUserForAdminChange`: it serializes such
 * changes on one advisory lock (with row locks alone, two admins demoting each other at
 * once would each still count the other), locks the user's row and refuses the change
 * that would leave no active system administrator.
 */
import { notFound, preconditionFailed } from "@gatehouse/core";
import type { Prisma } from "../generated/prisma/client.ts";

export interface SystemAdminChange {
  isSystemAdmin?: boolean | undefined;
  isActive?: boolean | undefined;
}

export interface LockedUserFlags {
  id: string;
  is_system_admin: boolean;
  is_active: boolean;
}

/** Whether the change may take away admin rights (false or absent flags never do). */
export const mayRemoveAdmin = (change: SystemAdminChange): boolean =>
  change.isSystemAdmin === false || change.isActive === false;

/**
 * Locks the user (row-locked for the rest of the transaction) and checks the change keeps
 * an active system administrator. Returns the user's flags as committed before the change.
 */
export async function lockUserForAdminChange(
  tx: Prisma.TransactionClient,
  userId: string,
  change: SystemAdminChange,
): Promise<LockedUserFlags> {
  if (mayRemoveAdmin(change)) {
    await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext('gatehouse.system-admins'))`;
  }
  // Lock the row, so the checks below see the committed state of this user.
  const [current] = await tx.$queryRaw<LockedUserFlags[]>`
    SELECT id, is_system_admin, is_active FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
  if (!current) throw notFound("User");
  if (current.is_system_admin && current.is_active && mayRemoveAdmin(change)) {
    const [{ count } = { count: 0 }] = await tx.$queryRaw<{ count: number }[]>`
      SELECT count(*)::int AS count FROM users
       WHERE is_system_admin AND is_active AND id <> ${userId}::uuid`;
    if (count === 0)
      throw preconditionFailed("The last active system administrator cannot be removed");
  }
  return current;
}
