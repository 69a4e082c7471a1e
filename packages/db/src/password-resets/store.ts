/**
 * Password reset requests and tokens (auth.requestPasswordReset, auth.resetPassword,
 * users.forcePasswordReset). A request is recorded the same way whether or not the account
 * exists; processing decides (processPasswordResetRequests in the API): an active account
 * gets a token, anything else only a processed mark. Tokens arrive here already hashed.
 */
import type { Tx } from "../transaction.ts";

/** Records a request: the same single insert whatever the email. Returns its id. */
export async function insertPasswordResetRequest(
  tx: Tx,
  email: string,
  now: Date,
): Promise<{ id: string }> {
  return tx.passwordReset.create({ data: { email, requestedAt: now }, select: { id: true } });
}

export interface PendingResetRequest {
  id: string;
  email: string;
  /** The active account with this email, if any. */
  userId: string | null;
}

/**
 * Takes one unprocessed request, locked (SKIP LOCKED: two runs of its job never both take
 * it), with the active account of its email; null once processed.
 */
export async function claimPasswordResetRequest(
  tx: Tx,
  requestId: string,
): Promise<PendingResetRequest | null> {
  const rows = await tx.$queryRaw<PendingResetRequest[]>`
    SELECT r.id::text, r.email,
           (SELECT u.id::text FROM users u WHERE u.email = r.email AND u.is_active) AS "userId"
      FROM password_resets r
     WHERE r.id = ${requestId}::uuid AND r.processed_at IS NULL
       FOR UPDATE OF r SKIP LOCKED`;
  return rows[0] ?? null;
}

/** Marks a request processed, with its token when an account got one. */
export async function settlePasswordResetRequest(
  tx: Tx,
  requestId: string,
  settled: { now: Date; token: { userId: string; tokenHash: string; expiresAt: Date } | null },
): Promise<void> {
  await tx.passwordReset.update({
    where: { id: requestId },
    data: { processedAt: settled.now, ...(settled.token ?? {}) },
  });
}

/** A token issued directly (users.forcePasswordReset), processed at once. */
export async function insertPasswordResetToken(
  tx: Tx,
  token: { userId: string; email: string; tokenHash: string; expiresAt: Date; now: Date },
): Promise<void> {
  await tx.passwordReset.create({
    data: {
      userId: token.userId,
      email: token.email,
      tokenHash: token.tokenHash,
      expiresAt: token.expiresAt,
      requestedAt: token.now,
      processedAt: token.now,
    },
    select: { id: true },
  });
}

/**
 * Uses a token: one conditional UPDATE (unused, unexpired), so it works once even under
 * concurrent use. Returns the user, or null for an unknown, used or expired token.
 */
export async function usePasswordResetToken(
  tx: Tx,
  tokenHash: string,
  now: Date,
): Promise<{ userId: string } | null> {
  const rows = await tx.$queryRaw<Array<{ userId: string }>>`
    UPDATE password_resets SET used_at = ${now}
     WHERE token_hash = ${tokenHash} AND used_at IS NULL AND expires_at > ${now}
       AND user_id IS NOT NULL
    RETURNING user_id::text AS "userId"`;
  return rows[0] ?? null;
}

/** Ends a user's other outstanding reset tokens (the password just changed). */
export async function endPasswordResetTokens(tx: Tx, userId: string, now: Date): Promise<void> {
  await tx.passwordReset.updateMany({
    where: { userId, usedAt: null, tokenHash: { not: null } },
    data: { usedAt: now },
  });
}

/** Sets a new password hash and lifts a forced reset. */
export async function setPasswordHash(tx: Tx, userId: string, passwordHash: string): Promise<void> {
  await tx.user.update({
    where: { id: userId },
    data: { passwordHash, passwordResetRequired: false },
  });
}

/** users.forcePasswordReset: the password stops signing in until a reset sets a new one. */
export async function requirePasswordReset(
  tx: Tx,
  userId: string,
): Promise<{ id: string; email: string; name: string } | null> {
  const { count } = await tx.user.updateMany({
    where: { id: userId },
    data: { passwordResetRequired: true },
  });
  if (count === 0) return null;
  return tx.user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true },
  });
}

/** A user's email and name (for their mails). */
export function findUserContact(
  db: { prisma: Pick<Tx, "user"> },
  userId: string,
): Promise<{ email: string; name: string; passwordHash: string | null } | null> {
  return db.prisma.user.findUnique({
    where: { id: userId },
    select: { email: true, name: true, passwordHash: true },
  });
}
