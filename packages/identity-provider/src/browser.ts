import type { SignInCredentials } from "./types.ts";

/**
 * A minimal browser for tests and benchmarks: follows the provider's redirects with a cookie
 * jar, fills in the login form, and stops at the first redirect that leaves the provider (the
 * relying party's redirect URI with `code` and `state`), which it returns without following.
 */
export async function signInLikeABrowser(
  issuer: string,
  authorizationUrl: string,
  credentials: SignInCredentials,
): Promise<{ callbackUrl: string }> {
  const origin = new URL(issuer).origin;
  const jar = new Map<string, string>();
  let url = new URL(authorizationUrl);
  let request: { method: "GET" | "POST"; body?: URLSearchParams } = { method: "GET" };
  let submitted = false;

  for (let hop = 0; hop < 20; hop += 1) {
    if (url.origin !== origin) return { callbackUrl: url.href };
    const headers: Record<string, string> = {};
    if (jar.size > 0)
      headers.cookie = [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
    if (request.body) headers["content-type"] = "application/x-www-form-urlencoded";
    const response = await fetch(url, {
      method: request.method,
      headers,
      ...(request.body ? { body: request.body.toString() } : {}),
      redirect: "manual",
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ""] = cookie.split(";");
      const separator = pair.indexOf("=");
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      const expired = /expires=Thu, 01 Jan 1970/i.test(cookie) || /max-age=0(;|$)/i.test(cookie);
      if (!value || expired) jar.delete(name);
      else jar.set(name, value);
    }

    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      url = new URL(location, url);
      request = { method: "GET" };
      continue;
    }

    const html = await response.text();
    const form = /<form method="post" action="([^"]+)"/.exec(html);
    if (form?.[1] && !submitted) {
      submitted = true;
      url = new URL(form[1].replaceAll("&amp;", "&"), url);
      request = {
        method: "POST",
        body: new URLSearchParams({ login: credentials.login, password: credentials.password }),
      };
      continue;
    }
    const alert = /role="alert">([^<]*)</.exec(html)?.[1];
    throw new Error(
      `identity provider sign-in stopped at ${url.pathname} (HTTP ${response.status})${alert ? `: ${alert}` : ""}`,
    );
  }
  throw new Error("identity provider sign-in: too many redirects");
}
