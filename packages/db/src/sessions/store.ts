/** Creating, listing and revoking sessions (the cookie's token is stored only hashed). */
import type { Database } from "../client.ts";
import type { Session } from "../generated/prisma/client.ts";
import type { Tx } from "../transaction.ts";

export interface NewSession {
  tokenHash: string;
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
  ipAddress: string;
  userAgent: string | null;
  /** How it was started (default PASSWORD); an SSO session names its provider and IdP session. */
  authMethod?: "PASSWORD" | "SSO" | "INVITATION";
  idpProviderId?: string | null;
  idpSid?: string | null;
}

export function insertSession(tx: Tx, session: NewSession): Promise<{ id: string }> {
  return tx.session.create({ data: session, select: { id: true } });
}

/** A user's sessions still usable at `now`, newest first (at most 200). */
export function listLiveSessions(
  db: Pick<Database, "prisma">,
  userId: string,
  now: Date,
): Promise<Session[]> {
  return db.prisma.session.findMany({
    where: {
      userId,
      revokedAt: null,
      idleExpiresAt: { gt: now },
      absoluteExpiresAt: { gt: now },
    },
    orderBy: { createdAt: "desc" },
    take: 200,
  });
}

/** Whose session it is (null: no such session). */
export async function findSessionOwner(tx: Tx, sessionId: string): Promise<string | null> {
  const session = await tx.session.findUnique({
    where: { id: sessionId },
    select: { userId: true },
  });
  return session?.userId ?? null;
}

/** Ends one session (a no-op when it already ended). */
export async function revokeSession(tx: Tx, sessionId: string, now: Date): Promise<void> {
  await tx.session.updateMany({
    where: { id: sessionId, revokedAt: null },
    data: { revokedAt: now },
  });
}

/**
 * Ends every live session of a user (disabled, password changed), but `except` (the
 * caller's own, on a self-service password change). Returns how many.
 */
export async function revokeUserSessions(
  tx: Tx,
  userId: string,
  now: Date,
  except?: string,
): Promise<number> {
  const result = await tx.session.updateMany({
    where: { userId, revokedAt: null, ...(except ? { NOT: { id: except } } : {}) },
    data: { revokedAt: now },
  });
  return result.count;
}

/**
 * Ends the SSO sessions a back-channel logout names: those of the IdP session `sid`, or,
 * without one, every SSO session of `userId` from this provider. Returns the users and how
 * many sessions ended.
 */
export async function revokeIdpSessions(
  tx: Tx,
  target: { providerId: string } & ({ sid: string } | { userId: string }),
  now: Date,
): Promise<{ count: number; userIds: string[] }> {
  const where = {
    idpProviderId: target.providerId,
    authMethod: "SSO" as const,
    revokedAt: null,
    ...("sid" in target ? { idpSid: target.sid } : { userId: target.userId }),
  };
  const live = await tx.session.findMany({ where, select: { userId: true } });
  const result = await tx.session.updateMany({ where, data: { revokedAt: now } });
  return { count: result.count, userIds: [...new Set(live.map((s) => s.userId))] };
}
