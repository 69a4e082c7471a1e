/**
 * Single sign-on in tests: the local identity provider behind a tampering proxy (its issuer),
 * registered with a Gatehouse harness, and a browser that signs in through it over real HTTP
 * (its own cookies per origin: Gatehouse's here, the provider's inside `idp.signIn`).
 */
import {
  startIdentityProvider,
  type IdentityProvider,
  type IdpPerson,
} from "@gatehouse/identity-provider";
import type { Harness } from "./harness.ts";
import type { Credentials } from "./http.ts";
import { startIdpProxy, type IdpProxy } from "./idp-proxy.ts";

export const SSO_CLIENT = {
  clientId: "gatehouse-tests",
  clientSecret: "idp-client-secret-for-tests-4d1e",
};

export interface TestIdp {
  idp: IdentityProvider;
  proxy: IdpProxy;
  /** The issuer to configure: the proxy's address. */
  issuer: string;
  close(): Promise<void>;
}

/** The provider (behind its proxy), with Gatehouse `h` registered as its client. */
export async function startTestIdp(h: Harness, people: IdpPerson[]): Promise<TestIdp> {
  const proxy = await startIdpProxy();
  const idp = await startIdentityProvider({
    issuer: proxy.url,
    people,
    clients: [
      {
        ...SSO_CLIENT,
        redirectUris: [`${h.url}/auth/sso/callback`],
        backchannelLogoutUri: `${h.url}/auth/sso/backchannel-logout`,
      },
    ],
  });
  proxy.setTarget(idp.url);
  return {
    idp,
    proxy,
    issuer: idp.issuer,
    async close() {
      await idp.close();
      await proxy.close();
    },
  };
}

export interface SsoResult {
  /** Where Gatehouse sent the browser in the end: `/` or `/login?sso_error=...`. */
  location: string;
  /** The session the sign-in started (null when refused). */
  creds: Credentials;
}

const cookieValue = (headers: Headers, name: string): string | null => {
  for (const cookie of headers.getSetCookie()) {
    const [pair = ""] = cookie.split(";");
    const eq = pair.indexOf("=");
    if (pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim() || null;
  }
  return null;
};

/**
 * Signs in like a browser: /auth/sso/start, the provider's login page, then the callback with
 * the cookie /start left. `alter` may change the callback URL and `beforeCallback` the world
 * (tampering tests); `cookie` replaces the browser's binding cookie (another browser's).
 */
export async function ssoSignIn(
  h: Pick<Harness, "url">,
  test: Pick<TestIdp, "idp">,
  email: string,
  password: string,
  options: {
    alter?: (callback: URL) => URL;
    beforeCallback?: (state: string) => Promise<void>;
    cookie?: (own: string | null) => string | null;
    signIn?: (authorizationUrl: string) => Promise<{ callbackUrl: string }>;
  } = {},
): Promise<SsoResult> {
  const start = await fetch(`${h.url}/auth/sso/start?email=${encodeURIComponent(email)}`, {
    redirect: "manual",
  });
  const to = start.headers.get("location") ?? "";
  if (start.status !== 302) throw new Error(`/auth/sso/start answered ${start.status}`);
  if (to.startsWith("/")) return { location: to, creds: null };
  const own = cookieValue(start.headers, "gh_sso");
  const binding = options.cookie ? options.cookie(own) : own;
  const { callbackUrl } = options.signIn
    ? await options.signIn(to)
    : await test.idp.signIn(to, { login: email, password });
  let callback = new URL(callbackUrl);
  if (options.alter) callback = options.alter(callback);
  await options.beforeCallback?.(new URL(callbackUrl).searchParams.get("state") ?? "");
  const answer = await fetch(callback, {
    redirect: "manual",
    headers: binding ? { cookie: `gh_sso=${binding}` } : {},
  });
  if (answer.status !== 302) throw new Error(`/auth/sso/callback answered ${answer.status}`);
  const session = cookieValue(answer.headers, "gh_session");
  return {
    location: answer.headers.get("location") ?? "",
    creds: session ? { cookie: session } : null,
  };
}
