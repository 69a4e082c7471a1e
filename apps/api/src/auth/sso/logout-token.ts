/**
 * Back-channel logout tokens (OpenID Connect Back-Channel Logout 1.0, section 2.6): signed
 * by a provider we have (its key set, fetched with `jose` and cached per URL), for our
 * client, issued recently, with the logout event, naming `sid` or `sub`, and without a
 * `nonce` (which would make it an ID token).
 */
import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload } from "jose";
import type { ProviderForSignIn } from "@gatehouse/db";

const BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout";
/** How old a logout token may be (its `iat`). */
const MAX_TOKEN_AGE = "5 minutes";

const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function keySetOf(uri: string): ReturnType<typeof createRemoteJWKSet> {
  let set = keySets.get(uri);
  if (!set) {
    set = createRemoteJWKSet(new URL(uri));
    keySets.set(uri, set);
  }
  return set;
}

export type LogoutTokenResult =
  | { ok: true; provider: ProviderForSignIn; sid: string | null; sub: string | null }
  | { ok: false; reason: string };

export async function verifyLogoutToken(
  token: string,
  lookup: {
    providersOf(issuer: string): Promise<ProviderForSignIn[]>;
    /** The provider's discovered key set URL and issuer (as its tokens name it). */
    metadataOf(provider: ProviderForSignIn): Promise<{ jwksUri?: string; issuer: string }>;
  },
): Promise<LogoutTokenResult> {
  let unverified: JWTPayload;
  try {
    unverified = decodeJwt(token);
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (typeof unverified.iss !== "string") return { ok: false, reason: "no issuer" };
  const audiences = typeof unverified.aud === "string" ? [unverified.aud] : (unverified.aud ?? []);
  const provider = (await lookup.providersOf(unverified.iss)).find((p) =>
    audiences.includes(p.clientId),
  );
  if (!provider) return { ok: false, reason: "unknown issuer or audience" };
  let metadata: { jwksUri?: string; issuer: string };
  try {
    metadata = await lookup.metadataOf(provider);
  } catch {
    return { ok: false, reason: "provider unreachable" };
  }
  const { jwksUri } = metadata;
  if (!jwksUri) return { ok: false, reason: "provider has no key set" };
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keySetOf(jwksUri), {
      issuer: metadata.issuer,
      audience: provider.clientId,
      // The provider's clock is the wall clock (as for ID tokens, which openid-client checks
      // against it too), not the app's clock.
      clockTolerance: 30,
      maxTokenAge: MAX_TOKEN_AGE,
      requiredClaims: ["iat", "jti", "events"],
    }));
  } catch (error) {
    return { ok: false, reason: `verification: ${(error as Error).name}` };
  }
  const events = payload.events;
  if (
    typeof events !== "object" ||
    events === null ||
    Array.isArray(events) ||
    !(BACKCHANNEL_EVENT in events)
  ) {
    return { ok: false, reason: "no back-channel logout event" };
  }
  if ("nonce" in payload) return { ok: false, reason: "has a nonce" };
  const sid = typeof payload.sid === "string" ? payload.sid : null;
  const sub = typeof payload.sub === "string" ? payload.sub : null;
  if (!sid && !sub) return { ok: false, reason: "names neither sid nor sub" };
  return { ok: true, provider, sid, sub };
}
