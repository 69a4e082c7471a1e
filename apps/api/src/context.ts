/**
 * Request context. The inner part (`AppDeps` + caller facts) is all a procedure sees and
 * all a test builds; the HTTP host adds cookies and headers in `http/context.ts`.
 */
import type { Actor } from "@gatehouse/core";
import type { Database } from "@gatehouse/db";
import type { Clock } from "./clock.ts";
import type { AppConfig } from "./config.ts";
import type { Logger } from "./logger.ts";
import type { ProcedureObserver } from "./metrics.ts";

/** Long-lived dependencies shared by every request. */
export interface AppDeps {
  db: Database;
  config: AppConfig;
  clock: Clock;
  logger: Logger;
  /** Tells an in-process worker that jobs were just enqueued (optional: workers also poll). */
  jobs?: { nudge(): void; heartbeat?(): { lastActiveAt: number; leaseMs: number } };
  /** Told about every procedure call (Prometheus metrics); the HTTP app always sets one. */
  metrics?: ProcedureObserver;
}

/** What the session cookie looks like to a procedure: set it, or clear it. */
export interface SessionCookieJar {
  set(token: string, expiresAt: Date): void;
  clear(): void;
}

export interface RequestFacts {
  requestId: string;
  ip: string;
  userAgent: string | null;
}

export interface SessionInfo {
  id: string;
  expiresAt: Date;
  absoluteExpiresAt: Date;
}

export interface Context extends AppDeps, RequestFacts {
  actor: Actor | null;
  /** Set when the caller's credentials could not be checked (e.g. database down). */
  actorError: Error | null;
  /** The cookie session behind `actor`, when the caller is a logged-in person. */
  session: SessionInfo | null;
  cookies: SessionCookieJar;
  log: Logger;
}

export const noCookies: SessionCookieJar = { set() {}, clear() {} };

export function createInnerContext(
  deps: AppDeps,
  facts: Partial<RequestFacts> & {
    actor?: Actor | null;
    actorError?: Error | null;
    session?: SessionInfo | null;
    cookies?: SessionCookieJar;
  } = {},
): Context {
  const requestId = facts.requestId ?? crypto.randomUUID();
  return {
    ...deps,
    requestId,
    ip: facts.ip ?? "127.0.0.1",
    userAgent: facts.userAgent ?? null,
    actor: facts.actor ?? null,
    actorError: facts.actorError ?? null,
    session: facts.session ?? null,
    cookies: facts.cookies ?? noCookies,
    log: deps.logger.child({ requestId }),
  };
}
