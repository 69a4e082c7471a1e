/**
 * The browser endpoints of single sign-on:
 * - GET /auth/sso/start?email=... finds the provider serving the email's domain, records the
 *   attempt (hash of its state, nonce, PKCE verifier, hash of a browser cookie) and sends the
 *   browser to the provider (302);
 * - GET /auth/sso/callback takes the attempt back once (DELETE ... RETURNING), checks the
 *   browser cookie, exchanges the code (state, nonce, PKCE, issuer, audience, signature are
 *   checked by openid-client), then signs in (workflows/sso/sign-in.ts) and sends the browser
 *   to `/` with the usual session cookie; every refusal goes to `/login?sso_error=<code>`;
 * - POST /auth/sso/backchannel-logout (server to server, OIDC Back-Channel Logout 1.0) ends
 *   the sessions a valid logout token names. It is outside /trpc, so the same-origin check
 *   (csrf.ts), which guards cookie-authenticated procedures, does not apply to it.
 */
import crypto from "node:crypto";
import { addressGroupOf, emailDomain, normalizeEmail, ZEmail } from "@gatehouse/core";
import {
  consumeLoginAttempt,
  findIdentityUserId,
  findProviderByDomain,
  findProviderForSignIn,
  findProvidersByIssuer,
  hitRateLimit,
  insertLoginAttempt,
  revokeIdpSessions,
  transaction,
  type ProviderForSignIn,
} from "@gatehouse/db";
import type { Context as HonoContext, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { getConnInfo } from "@hono/node-server/conninfo";
import { writeAudit } from "../audit/write.ts";
import {
  SSO_BACKCHANNEL_LOGOUT_PATH,
  SSO_CALLBACK_PATH,
  SSO_START_PATH,
} from "../auth/sso/paths.ts";
import {
  configurationOf,
  finishSignIn,
  logoutMetadataOf,
  SSO_ATTEMPT_MS,
  startSignIn,
} from "../auth/sso/relying-party.ts";
import { verifyLogoutToken } from "../auth/sso/logout-token.ts";
import { publicUrlOf } from "../config.ts";
import type { AppDeps } from "../context.ts";
import { openingKeys } from "../secrets.ts";
import { completeSsoSignIn, type SsoErrorCode } from "../workflows/sso/sign-in.ts";
import { isLocalHost, readSsoCookie, sessionCookieJar, ssoCookie } from "./cookies.ts";
import { forwardedClientAddress } from "./request-context.ts";

type Env = { Variables: { requestId: string; clientRequestId: string | null } };

const sha256 = (text: string): string => crypto.createHash("sha256").update(text).digest("hex");

export function registerSsoRoutes(app: Hono<Env>, deps: AppDeps): void {
  const redirectUri = () => new URL(SSO_CALLBACK_PATH, publicUrlOf(deps.config)).href;
  const secretsKeys = () => openingKeys(deps.config);
  const isSecure = (c: HonoContext<Env>) => !isLocalHost(c.req.header("host"));

  const redirect = (location: string, headers = new Headers()): Response => {
    headers.set("Location", location);
    headers.set("Cache-Control", "no-store");
    return new Response(null, { status: 302, headers });
  };
  const refuse = (c: HonoContext<Env>, code: SsoErrorCode, clearCookie = false): Response => {
    const headers = new Headers();
    if (clearCookie) headers.append("Set-Cookie", ssoCookie(null, isSecure(c), 0));
    return redirect(`/login?sso_error=${code}`, headers);
  };

  app.get(SSO_START_PATH, async (c) => {
    const parsed = ZEmail.safeParse(c.req.query("email") ?? "");
    if (!parsed.success) return refuse(c, "invalid_request");
    const email = normalizeEmail(parsed.data);
    const provider = await findProviderByDomain(deps.db, emailDomain(email));
    if (!provider) return refuse(c, "no_provider");
    let started;
    try {
      const config = await configurationOf(provider, secretsKeys());
      started = await startSignIn(config, redirectUri(), email);
    } catch (error) {
      deps.logger.warn(
        { err: errorSummary(error), providerId: provider.id, requestId: c.get("requestId") },
        "sso: the identity provider could not be reached",
      );
      return refuse(c, "idp_unavailable");
    }
    const now = deps.clock.now();
    // Every start writes a row: bounded per address group (a whole office behind one NAT
    // signs in by SSO, hence ten times the failed-password limit).
    const { windowMs, maxPerAddress } = deps.config.login;
    const startKey = `sso:start:address:${addressGroupOf(clientAddress(c, deps))}`;
    if ((await hitRateLimit(deps.db, startKey, windowMs, now)) > 10 * maxPerAddress)
      return refuse(c, "too_many_requests");
    const browser = crypto.randomBytes(32).toString("base64url");
    await insertLoginAttempt(deps.db, {
      stateHash: sha256(started.state),
      providerId: provider.id,
      nonce: started.nonce,
      codeVerifier: started.codeVerifier,
      browserHash: sha256(browser),
      expiresAt: new Date(now.getTime() + SSO_ATTEMPT_MS),
      now,
    });
    const headers = new Headers();
    headers.append("Set-Cookie", ssoCookie(browser, isSecure(c), SSO_ATTEMPT_MS / 1000));
    return redirect(started.authorizationUrl, headers);
  });

  app.get(SSO_CALLBACK_PATH, async (c) => {
    const requestId = c.get("requestId");
    const url = new URL(c.req.url);
    const state = url.searchParams.get("state");
    const browser = readSsoCookie(c.req.header("cookie") ?? null, isSecure(c));
    if (!state || state.length > 512) return refuse(c, "invalid_request", true);
    const attempt = await consumeLoginAttempt(deps.db, sha256(state));
    const now = deps.clock.now();
    if (
      !attempt ||
      attempt.expiresAt <= now ||
      !browser ||
      !crypto.timingSafeEqual(Buffer.from(sha256(browser)), Buffer.from(attempt.browserHash))
    ) {
      return refuse(c, "invalid_request", true);
    }
    const provider = await findProviderForSignIn(deps.db, attempt.providerId);
    if (!provider) return refuse(c, "invalid_request", true);
    let claims;
    try {
      const config = await configurationOf(provider, secretsKeys());
      // The URL the provider redirected to, as the provider knows it (the public address).
      const callbackUrl = new URL(SSO_CALLBACK_PATH + url.search, publicUrlOf(deps.config));
      claims = await finishSignIn(config, callbackUrl, {
        state,
        nonce: attempt.nonce,
        codeVerifier: attempt.codeVerifier,
      });
    } catch (error) {
      deps.logger.warn(
        { err: errorSummary(error), providerId: provider.id, requestId },
        "sso: sign-in refused (authorization response or ID token did not pass the checks)",
      );
      return refuse(c, "idp_refused", true);
    }
    let result;
    try {
      result = await completeSsoSignIn(
        deps,
        { requestId, ip: clientAddress(c, deps), userAgent: c.req.header("user-agent") ?? null },
        provider,
        claims,
      );
    } catch (error) {
      // E.g. the same newcomer's two first sign-ins at once (one account wins): the browser
      // goes back to the login page rather than to a bare error.
      deps.logger.error(
        { err: errorSummary(error), providerId: provider.id, requestId },
        "sso: sign-in failed",
      );
      return refuse(c, "server_error", true);
    }
    if (!result.ok) {
      deps.logger.info(
        { providerId: provider.id, requestId, code: result.code },
        "sso: sign-in refused",
      );
      return refuse(c, result.code, true);
    }
    const headers = new Headers();
    headers.append("Set-Cookie", ssoCookie(null, isSecure(c), 0));
    sessionCookieJar(headers, isSecure(c)).set(result.token, result.session.absoluteExpiresAt);
    return redirect("/", headers);
  });

  app.post(SSO_BACKCHANNEL_LOGOUT_PATH, bodyLimit({ maxSize: 64 * 1024 }), async (c) => {
    const requestId = c.get("requestId");
    const headers = { "Cache-Control": "no-store" };
    const badRequest = (description: string) =>
      c.json({ error: "invalid_request", error_description: description }, 400, headers);
    let token: string | null;
    try {
      token = new URLSearchParams(await c.req.text()).get("logout_token");
    } catch {
      token = null;
    }
    if (!token) return badRequest("logout_token is required");
    const verified = await verifyLogoutToken(token, {
      providersOf: (issuer) => findProvidersByIssuer(deps.db, issuer),
      metadataOf: async (provider: ProviderForSignIn) =>
        logoutMetadataOf(await configurationOf(provider, secretsKeys())),
    });
    if (!verified.ok) {
      deps.logger.info({ requestId, reason: verified.reason }, "sso: back-channel logout refused");
      return badRequest("the logout token is not valid");
    }
    const { provider, sid, sub } = verified;
    const now = deps.clock.now();
    const ended = await transaction(deps.db, async (tx) => {
      let result = { count: 0, userIds: [] as string[] };
      if (sid) result = await revokeIdpSessions(tx, { providerId: provider.id, sid }, now);
      if (!sid && sub) {
        const userId = await findIdentityUserId(deps.db, provider.id, sub);
        if (userId) result = await revokeIdpSessions(tx, { providerId: provider.id, userId }, now);
      }
      for (const userId of result.userIds) {
        await writeAudit(
          tx,
          { actor: null, requestId, clock: deps.clock },
          {
            action: "auth.sso_backchannel_logout",
            targetType: "user",
            targetId: userId,
            organizationId: provider.organizationId,
            details: { providerId: provider.id, endedSessions: result.count, bySid: sid !== null },
          },
        );
      }
      return result;
    });
    if (ended.count > 0) deps.sessionCache?.clear();
    return c.body(null, 200, headers);
  });
}

/** An error for the logs: its class, code and message, never a token or secret. */
function errorSummary(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as { code?: unknown }).code;
  // The cause's message says which check failed (a fixed text of the library); never its
  // other fields, which may hold the provider's response.
  const cause = error.cause instanceof Error ? error.cause.message.slice(0, 300) : undefined;
  return {
    name: error.name,
    message: error.message.slice(0, 300),
    ...(code ? { code } : {}),
    ...(cause ? { cause } : {}),
  };
}

function clientAddress(c: HonoContext<Env>, deps: AppDeps): string {
  let remote: string | undefined;
  try {
    remote = getConnInfo(c).remote.address;
  } catch {
    remote = undefined;
  }
  return (
    forwardedClientAddress(c.req.header("x-forwarded-for"), deps.config.trustProxyHops) ??
    remote ??
    "unknown"
  );
}
