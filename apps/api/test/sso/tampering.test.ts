/**
 * A sign-in whose authorization response or ID token was tampered with is refused, and starts
 * no session: a changed state, a changed nonce, an ID token with a broken signature (a proxy
 * in the middle), a response from another provider than the configured issuer, a callback in
 * another browser than the one that started the sign-in, and a replayed callback.
 */
import crypto from "node:crypto";
import { startIdentityProvider, type IdentityProvider } from "@gatehouse/identity-provider";
import { afterAll, describe, expect, it } from "vitest";
import { SSO_CLIENT } from "../support/sso.ts";
import { h, me, person, signIn, test, userIdOf, PASSWORD } from "./sso-suite.ts";

const victim = person("tina", ["eng"]);
let other: IdentityProvider | null = null;
afterAll(() => other?.close());

async function sessionsOf(email: string): Promise<number> {
  const userId = await userIdOf(email);
  return userId ? h.db.prisma.session.count({ where: { userId, revokedAt: null } }) : 0;
}

const refused = (code: string) => ({ location: `/login?sso_error=${code}`, creds: null });

describe("tampered SSO sign-ins", () => {
  it("refuses a changed state", async () => {
    const result = await signIn(victim, {
      alter: (url) => {
        url.searchParams.set("state", crypto.randomBytes(32).toString("base64url"));
        return url;
      },
    });
    expect(result).toEqual(refused("invalid_request"));
    expect(await sessionsOf(victim.email)).toBe(0);
  });

  it("refuses an ID token whose nonce is not the attempt's", async () => {
    const result = await signIn(victim, {
      beforeCallback: async (state) => {
        const stateHash = crypto.createHash("sha256").update(state).digest("hex");
        const changed = await h.db.prisma.ssoLoginAttempt.updateMany({
          where: { stateHash },
          data: { nonce: crypto.randomBytes(32).toString("base64url") },
        });
        expect(changed.count).toBe(1);
      },
    });
    expect(result).toEqual(refused("idp_refused"));
    expect(await sessionsOf(victim.email)).toBe(0);
  });

  it("refuses an ID token whose signature was changed on the way", async () => {
    test.proxy.tamper("idTokenSignature");
    const result = await signIn(victim);
    test.proxy.tamper("none");
    expect(result).toEqual(refused("idp_refused"));
    expect(await sessionsOf(victim.email)).toBe(0);
  });

  it("refuses an answer from a provider other than the configured issuer", async () => {
    // Another provider with the same client and people, at another issuer.
    other = await startIdentityProvider({
      people: [{ ...victim }],
      clients: [{ ...SSO_CLIENT, redirectUris: [`${h.url}/auth/sso/callback`] }],
    });
    const impostor = other;
    const result = await signIn(victim, {
      signIn: (authorizationUrl) => {
        const url = new URL(authorizationUrl);
        const moved = new URL(url.pathname + url.search, impostor.issuer);
        return impostor.signIn(moved.href, { login: victim.email, password: PASSWORD });
      },
    });
    expect(result).toEqual(refused("idp_refused"));
    expect(await sessionsOf(victim.email)).toBe(0);
  });

  it("refuses a callback in a browser other than the one that started the sign-in", async () => {
    const stranger = await signIn(victim, {
      cookie: () => crypto.randomBytes(32).toString("base64url"),
    });
    expect(stranger).toEqual(refused("invalid_request"));
    const none = await signIn(victim, { cookie: () => null });
    expect(none).toEqual(refused("invalid_request"));
    expect(await sessionsOf(victim.email)).toBe(0);
  });

  it("takes a callback once: replayed, it is refused", async () => {
    let replay: URL | null = null;
    let binding: string | null = null;
    const first = await signIn(victim, {
      cookie: (own) => (binding = own),
      alter: (url) => (replay = new URL(url.href)),
    });
    expect(first.location).toBe("/");
    expect(await me(first.creds)).toBe(200);
    // The same browser (its cookie) sends the same callback again.
    const again = await fetch(replay!, {
      redirect: "manual",
      headers: { cookie: `gh_sso=${binding!}` },
    });
    expect(again.headers.get("location")).toBe("/login?sso_error=invalid_request");
    expect(await sessionsOf(victim.email)).toBe(1);
  });
});
