/** Users as sign-in and password changes read them, and the operator's admin command. */
import type { Database } from "../client.ts";
import type { Tx } from "../transaction.ts";

export interface LoginUser {
  id: string;
  /** Null: an account made by single sign-on, which has no password. */
  passwordHash: string | null;
  isActive: boolean;
  isSystemAdmin: boolean;
}

export function findLoginUser(
  db: Pick<Database, "prisma">,
  email: string,
): Promise<LoginUser | null> {
  return db.prisma.user.findUnique({
    where: { email },
    select: { id: true, passwordHash: true, isActive: true, isSystemAdmin: true },
  });
}

export async function recordLogin(tx: Tx, userId: string, now: Date): Promise<void> {
  await tx.user.update({ where: { id: userId }, data: { lastLoginAt: now } });
}

export async function findPasswordHash(
  db: Pick<Database, "prisma">,
  userId: string,
): Promise<string | null> {
  const user = await db.prisma.user.findUnique({
    where: { id: userId },
    select: { passwordHash: true },
  });
  return user?.passwordHash ?? null;
}

/**
 * The operator's `create-admin`: makes the user with this email an active system
 * administrator with this password (creating them when new), with its audit event, in one
 * transaction. `lookupEmail` finds an existing account; `email` names a new one.
 */
export function saveSystemAdmin(
  db: Pick<Database, "prisma">,
  admin: { lookupEmail: string; email: string; name: string; passwordHash: string },
  details: Record<string, string>,
): Promise<{ id: string; email: string }> {
  return db.prisma.$transaction(async (tx) => {
    const { email, name, passwordHash } = admin;
    const existing = await tx.user.findUnique({ where: { email: admin.lookupEmail } });
    const saved = existing
      ? await tx.user.update({
          where: { id: existing.id },
          data: { isSystemAdmin: true, isActive: true, passwordHash },
        })
      : await tx.user.create({ data: { email, name, passwordHash, isSystemAdmin: true } });
    await tx.auditEvent.create({
      data: {
        action: existing ? "user.promoteAdmin" : "user.createAdmin",
        targetType: "user",
        targetId: saved.id,
        details,
      },
    });
    return { id: saved.id, email: saved.email };
  });
}
