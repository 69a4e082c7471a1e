/**
 * The OpenID Connect relying party (openid-client v6): authorization code flow with PKCE,
 * state and nonce. Discovery is cached per provider and settings version (id + updatedAt),
 * so an update of the provider discovers again. Plain http issuers are allowed only on
 * loopback (a local IdP in the demo and tests). ID token signatures are checked against the
 * provider's keys (`enableNonRepudiationChecks`) even over TLS: the token is what links the
 * account, so it must be the provider's.
 */
import * as oidc from "openid-client";
import type { ProviderForSignIn } from "@gatehouse/db";
import { idpSecretBinding, openSecretWithAny } from "../../secrets.ts";

export const SSO_SCOPES = "openid email profile groups";
const SSO_SCOPES_WITHOUT_GROUPS = "openid email profile";

/**
 * The scopes to ask for: `groups` only where the provider's discovery lists it. Google
 * refuses an authorization request naming a scope it does not know ("invalid_scope ...
 * invalid=[groups]"); Keycloak, Entra ID and Okta's app-level filter put the groups claim in
 * the ID token by their own configuration, and Okta's org server and our local IdP list it.
 */
export function ssoScopesFor(config: oidc.Configuration): string {
  return config.serverMetadata().scopes_supported?.includes("groups")
    ? SSO_SCOPES
    : SSO_SCOPES_WITHOUT_GROUPS;
}
/** A sign-in must come back within this (the attempt row and its cookie expire). */
export const SSO_ATTEMPT_MS = 10 * 60 * 1000;

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);
const isLoopback = (url: URL): boolean => LOOPBACK.has(url.hostname);

const configurations = new Map<string, Promise<oidc.Configuration>>();

/** The provider's discovered configuration, from the cache when its settings did not change. */
export function configurationOf(
  provider: ProviderForSignIn,
  secretsKeys: readonly Buffer[],
): Promise<oidc.Configuration> {
  const key = `${provider.id}:${provider.updatedAt.getTime()}`;
  let found = configurations.get(key);
  if (!found) {
    // One entry per provider: an older version of its settings is dropped.
    for (const other of configurations.keys())
      if (other.startsWith(`${provider.id}:`)) configurations.delete(other);
    const issuer = new URL(provider.issuer);
    const clientSecret = openSecretWithAny(
      secretsKeys,
      provider.clientSecretSealed,
      idpSecretBinding(provider.id),
    );
    const execute = [
      oidc.enableNonRepudiationChecks,
      ...(issuer.protocol === "http:" && isLoopback(issuer) ? [oidc.allowInsecureRequests] : []),
    ];
    found = oidc.discovery(issuer, provider.clientId, clientSecret, undefined, {
      execute,
      timeout: 10,
    });
    configurations.set(key, found);
    // A failed discovery is not kept: the next sign-in tries again.
    found.catch(() => {
      if (configurations.get(key) === found) configurations.delete(key);
    });
  }
  return found;
}

export interface StartedSignIn {
  authorizationUrl: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export async function startSignIn(
  config: oidc.Configuration,
  redirectUri: string,
  loginHint: string,
): Promise<StartedSignIn> {
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: ssoScopesFor(config),
    response_type: "code",
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state,
    nonce,
    login_hint: loginHint,
  });
  return { authorizationUrl: url.href, state, nonce, codeVerifier };
}

/** The ID token's claims after every check (state, nonce, PKCE, issuer, audience, signature). */
export async function finishSignIn(
  config: oidc.Configuration,
  callbackUrl: URL,
  checks: { state: string; nonce: string; codeVerifier: string },
): Promise<oidc.IDToken> {
  const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
    expectedState: checks.state,
    expectedNonce: checks.nonce,
    pkceCodeVerifier: checks.codeVerifier,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  if (!claims) throw new Error("no ID token");
  return claims;
}

/** The provider's key set URL and issuer (back-channel logout tokens are checked against them). */
export function logoutMetadataOf(config: oidc.Configuration): { jwksUri?: string; issuer: string } {
  const metadata = config.serverMetadata();
  return { ...(metadata.jwks_uri ? { jwksUri: metadata.jwks_uri } : {}), issuer: metadata.issuer };
}
