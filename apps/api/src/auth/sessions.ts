/**
 * Server-side sessions. The cookie holds an opaque token; the database holds its hash,
 * the idle and absolute expiry and a revoked flag. Resolving a session and the caller's
 * org-admin memberships is one query, and the sliding expiry is written at most once a
 * minute per session (core `evaluateSession` decides). With a SessionCache (auth/session-cache.ts)
 * a lookup whose facts are cached and current takes no round trip.
 */
import { evaluateSession, newSessionTimes, type Actor, type SessionPolicy } from "@gatehouse/core";
import {
  findSessionFacts,
  insertSession,
  touchSession,
  type Database,
  type SessionFacts,
  type Tx,
} from "@gatehouse/db";
import type { SessionInfo } from "../context.ts";
import type { SessionCache } from "./session-cache.ts";
import { hashToken, newOpaqueToken, SESSION_TOKEN_PREFIX } from "./tokens.ts";

export interface ResolvedSession {
  actor: Actor;
  session: SessionInfo;
}

export async function resolveSession(
  db: Database,
  token: string,
  now: Date,
  policy: SessionPolicy,
  cache?: SessionCache,
): Promise<ResolvedSession | null> {
  if (!token.startsWith(SESSION_TOKEN_PREFIX)) return null;
  const tokenHash = hashToken(token);
  const cached = cache?.get(tokenHash);
  if (cached) {
    // Answered from the cache only when nothing is due: a session that looks expired, or
    // whose sliding expiry is to be written, is read again (another instance may have
    // extended it; the touch is a write).
    const resolved = resolvedFrom(cached, now, policy);
    if (resolved && !resolved.touch) return resolved.session;
  }
  const generation = cache?.begin() ?? 0;
  const row = await findSessionFacts(db, tokenHash);
  if (!row) return null;
  const resolved = resolvedFrom(row, now, policy);
  if (!resolved) return null;
  if (resolved.touch) {
    // Conditional on the session still being live, so a concurrent revoke wins.
    await touchSession(db, row.id, now, resolved.touch);
    cache?.store(
      tokenHash,
      { ...row, last_seen_at: now, idle_expires_at: resolved.touch },
      generation,
    );
  } else {
    cache?.store(tokenHash, row, generation);
  }
  return resolved.session;
}

/** A session's verdict at `now` from its facts: null when it may not be used. */
function resolvedFrom(
  row: SessionFacts,
  now: Date,
  policy: SessionPolicy,
): { session: ResolvedSession; touch: Date | null } | null {
  const verdict = evaluateSession(
    {
      idleExpiresAt: row.idle_expires_at,
      absoluteExpiresAt: row.absolute_expires_at,
      lastSeenAt: row.last_seen_at,
      revokedAt: row.revoked_at,
      userActive: row.is_active,
      isSystemAdmin: row.is_system_admin,
    },
    now,
    policy,
  );
  if (!verdict.valid) return null;
  return {
    touch: verdict.touch ?? null,
    session: {
      actor: {
        kind: "user",
        userId: row.user_id,
        isSystemAdmin: row.is_system_admin,
        adminOrgIds: [...row.admin_org_ids],
        sessionId: row.id,
      },
      session: {
        id: row.id,
        expiresAt: verdict.expiresAt,
        absoluteExpiresAt: row.absolute_expires_at,
      },
    },
  };
}

export async function createSession(
  tx: Tx,
  user: { id: string; isSystemAdmin: boolean },
  meta: {
    now: Date;
    policy: SessionPolicy;
    ip: string;
    userAgent: string | null;
    /** Default PASSWORD; an SSO session names its provider and the IdP's session id. */
    authMethod?: "PASSWORD" | "SSO" | "INVITATION";
    idpProviderId?: string | null;
    idpSid?: string | null;
  },
): Promise<{ token: string; session: SessionInfo }> {
  const token = newOpaqueToken(SESSION_TOKEN_PREFIX);
  const times = newSessionTimes(user.isSystemAdmin, meta.now, meta.policy);
  const row = await insertSession(tx, {
    tokenHash: hashToken(token),
    userId: user.id,
    createdAt: meta.now,
    lastSeenAt: meta.now,
    idleExpiresAt: times.idleExpiresAt,
    absoluteExpiresAt: times.absoluteExpiresAt,
    ipAddress: meta.ip,
    userAgent: meta.userAgent?.slice(0, 512) ?? null,
    authMethod: meta.authMethod ?? "PASSWORD",
    idpProviderId: meta.idpProviderId ?? null,
    idpSid: meta.idpSid?.slice(0, 255) ?? null,
  });
  return {
    token,
    session: {
      id: row.id,
      expiresAt: times.idleExpiresAt,
      absoluteExpiresAt: times.absoluteExpiresAt,
    },
  };
}
