/**
 * Session lifetime rules. Regular users are signed out after 30 idle minutes, system
 * admins after 8 hours (both configurable), and every session ends at an absolute cap
 * however active it is. Pure, so tests drive it with any clock.
 */
export interface SessionPolicy {
  userIdleMs: number;
  adminIdleMs: number;
  absoluteMs: number;
  /** Skip the "last seen" write when the previous one is this recent (saves a write per request). */
  touchIntervalMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const defaultSessionPolicy: SessionPolicy = {
  userIdleMs: 30 * MINUTE,
  adminIdleMs: 8 * HOUR,
  absoluteMs: 24 * HOUR,
  touchIntervalMs: MINUTE,
};

export function idleTimeoutMs(isSystemAdmin: boolean, policy: SessionPolicy): number {
  return isSystemAdmin ? policy.adminIdleMs : policy.userIdleMs;
}

export interface NewSessionTimes {
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
}

export function newSessionTimes(
  isSystemAdmin: boolean,
  now: Date,
  policy: SessionPolicy,
): NewSessionTimes {
  const absoluteExpiresAt = new Date(now.getTime() + policy.absoluteMs);
  const idle = new Date(now.getTime() + idleTimeoutMs(isSystemAdmin, policy));
  return { idleExpiresAt: minDate(idle, absoluteExpiresAt), absoluteExpiresAt };
}

export interface SessionFacts {
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
  lastSeenAt: Date;
  revokedAt: Date | null;
  userActive: boolean;
  isSystemAdmin: boolean;
}

export type SessionVerdict =
  | { valid: false; reason: "revoked" | "idle" | "absolute" | "user-disabled" }
  /** `touch` holds the new idle expiry when the session should be extended now. */
  | { valid: true; expiresAt: Date; touch: Date | null };

/**
 * Is this session usable at `now`, and should its idle expiry slide forward? The idle
 * timeout is taken from the user's current role, so promoting or demoting a user applies
 * to their open sessions at the next extension.
 */
export function evaluateSession(
  session: SessionFacts,
  now: Date,
  policy: SessionPolicy,
): SessionVerdict {
  if (session.revokedAt) return { valid: false, reason: "revoked" };
  if (!session.userActive) return { valid: false, reason: "user-disabled" };
  const t = now.getTime();
  if (t >= session.absoluteExpiresAt.getTime()) return { valid: false, reason: "absolute" };
  // The idle window is the shorter of the stored one and the current role's: a demoted
  // admin's session idles out after the user timeout, even if no request came since.
  const roleIdleEnd = session.lastSeenAt.getTime() + idleTimeoutMs(session.isSystemAdmin, policy);
  if (t >= Math.min(session.idleExpiresAt.getTime(), roleIdleEnd))
    return { valid: false, reason: "idle" };

  const slid = minDate(
    new Date(t + idleTimeoutMs(session.isSystemAdmin, policy)),
    session.absoluteExpiresAt,
  );
  const due = t - session.lastSeenAt.getTime() >= policy.touchIntervalMs;
  // A demotion shortens the idle window at once rather than at the next touch.
  const shorter = slid.getTime() < session.idleExpiresAt.getTime();
  const touch = due || shorter ? slid : null;
  return { valid: true, expiresAt: touch ?? session.idleExpiresAt, touch };
}

function minDate(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b;
}
