/**
 * The tRPC context of an HTTP request, and the logging of errors raised around procedures:
 * one implementation for both ways a request reaches tRPC (the fetch adapter behind Hono,
 * and the direct path for plain queries in fast-queries.ts), so the caller, its session,
 * its address and its cookies are resolved the same way whichever path answers.
 */
import { resolveServiceToken } from "../auth/service-tokens.ts";
import { resolveSession } from "../auth/sessions.ts";
import { createInnerContext, type AppDeps, type Context } from "../context.ts";
import { toTRPCError } from "../trpc/errors.ts";
import { loggedErrors } from "../trpc/init.ts";
import { isLocalHost, readDeviceCookie, readSessionCookie, sessionCookieJar } from "./cookies.ts";

/** What a client's own X-Request-Id may look like to be kept (in logs only). */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The client's own X-Request-Id when well-formed, else null. The request id is always the
 * server's (stored on audit events, quoted in error bodies); the client's is for logs only.
 */
export function clientRequestIdOf(header: string | string[] | null | undefined): string | null {
  return typeof header === "string" && CLIENT_REQUEST_ID.test(header) ? header : null;
}

export interface HttpRequestFacts {
  /** The server's id for this request (never the client's). */
  requestId: string;
  /** The client's own X-Request-Id when well-formed, for logs only. */
  clientRequestId: string | null;
  /** A request header by lower-case name, or null. */
  header(name: string): string | null;
  /** The peer's address as the socket saw it, when known. */
  remoteAddress: string | undefined;
  /** Where the context sets response headers (the session cookie). */
  resHeaders: Headers;
}

/**
 * The client's address. Behind `hops` trusted proxies, each appends the address it saw to
 * X-Forwarded-For, so the client is the entry `hops` places from the right; everything
 * left of it was written by the client and proves nothing (taking the leftmost entry let
 * anyone open a fresh login rate-limit counter per request). With fewer entries than
 * hops, the leftmost is the best there is.
 */
export function forwardedClientAddress(header: string | undefined, hops: number): string | null {
  if (hops < 1 || !header) return null;
  const entries = header
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) return null;
  return entries[Math.max(0, entries.length - hops)]!.slice(0, 100);
}

/** Resolves the caller (service token or session cookie) into a procedure's context. */
export async function createRequestContext(
  deps: AppDeps,
  facts: HttpRequestFacts,
): Promise<Context> {
  const secure = !isLocalHost(facts.header("host") ?? undefined);
  const ip =
    forwardedClientAddress(
      facts.header("x-forwarded-for") ?? undefined,
      deps.config.trustProxyHops,
    ) ??
    facts.remoteAddress ??
    "unknown";
  const base = {
    requestId: facts.requestId,
    clientRequestId: facts.clientRequestId,
    ip,
    userAgent: facts.header("user-agent"),
    deviceToken: readDeviceCookie(facts.header("cookie"), secure),
    cookies: sessionCookieJar(facts.resHeaders, secure),
  };
  const now = deps.clock.now();
  try {
    const bearer = facts.header("authorization");
    if (bearer?.startsWith("Bearer ")) {
      const actor = await resolveServiceToken(deps.db, bearer.slice(7).trim(), now);
      return createInnerContext(deps, { ...base, actor });
    }
    const token = readSessionCookie(facts.header("cookie"), secure);
    const resolved = token
      ? await resolveSession(deps.db, token, now, deps.config.session, deps.sessionCache)
      : null;
    return createInnerContext(deps, {
      ...base,
      actor: resolved?.actor ?? null,
      session: resolved?.session ?? null,
    });
  } catch (error) {
    // Resolving the caller failed (database down). Public procedures still run;
    // gated ones raise this error, with the request id in the response body.
    return createInnerContext(deps, { ...base, actorError: toTRPCError(error) });
  }
}

/**
 * Logs an error tRPC reports for a request. Failures inside a procedure were logged by its
 * error middleware (with the caller's context); only those raised before or around
 * procedures are logged here.
 */
export function logRequestError(
  deps: AppDeps,
  error: Error & { code: string },
  at: { path: string | undefined; type: string; requestId: string; clientRequestId: string | null },
): void {
  if (loggedErrors.has(error)) return;
  if (error.code === "INTERNAL_SERVER_ERROR" || error.code === "SERVICE_UNAVAILABLE") {
    deps.logger.error(
      {
        err: error.cause ?? error,
        path: at.path,
        type: at.type,
        requestId: at.requestId,
        ...(at.clientRequestId ? { clientRequestId: at.clientRequestId } : {}),
      },
      "request failed",
    );
  }
}
