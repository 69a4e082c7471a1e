/**
 * The session cookie: HttpOnly, SameSite=Lax, Path=/, and Secure (with the __Host- prefix)
 * whenever the request did not come to localhost, so development over plain HTTP works and
 * nothing else ever sends the token in clear.
 */
import type { SessionCookieJar } from "../context.ts";

const PLAIN_NAME = "gh_session";
const SECURE_NAME = "__Host-gh_session";
/** Marks a browser that signed in to an account before (login limits: a known place). */
const DEVICE_PLAIN_NAME = "gh_device";
const DEVICE_SECURE_NAME = "__Host-gh_device";
const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export function isLocalHost(hostHeader: string | undefined): boolean {
  if (!hostHeader) return false;
  const host = hostHeader.startsWith("[")
    ? hostHeader.slice(0, hostHeader.indexOf("]") + 1)
    : hostHeader.split(":")[0];
  return LOCAL_HOSTS.has(host ?? "");
}

/**
 * On a secure host only the `__Host-` cookie counts: a sibling subdomain can plant a plain
 * `gh_session` cookie for our host, but never a `__Host-` one (browsers enforce that).
 */
export function readSessionCookie(cookieHeader: string | null, secure: boolean): string | null {
  return readCookie(cookieHeader, secure ? SECURE_NAME : PLAIN_NAME);
}

/** The device cookie, under the same `__Host-` rule as the session's. */
export function readDeviceCookie(cookieHeader: string | null, secure: boolean): string | null {
  const value = readCookie(cookieHeader, secure ? DEVICE_SECURE_NAME : DEVICE_PLAIN_NAME);
  return value && /^[A-Za-z0-9_-]{16,128}$/.test(value) ? value : null;
}

function readCookie(cookieHeader: string | null, wanted: string): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === wanted) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

export function sessionCookieJar(resHeaders: Headers, secure: boolean): SessionCookieJar {
  const name = secure ? SECURE_NAME : PLAIN_NAME;
  const attributes = `Path=/; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
  return {
    set(token, expiresAt) {
      resHeaders.append(
        "Set-Cookie",
        `${name}=${token}; ${attributes}; Expires=${expiresAt.toUTCString()}`,
      );
    },
    clear() {
      resHeaders.append("Set-Cookie", `${name}=; ${attributes}; Max-Age=0`);
    },
    setDevice(token, expiresAt) {
      resHeaders.append(
        "Set-Cookie",
        `${secure ? DEVICE_SECURE_NAME : DEVICE_PLAIN_NAME}=${token}; ${attributes}; Expires=${expiresAt.toUTCString()}`,
      );
    },
  };
}

/**
 * The cookie binding an SSO sign-in under way to the browser that started it (login CSRF:
 * a callback carrying someone else's state is refused). HttpOnly, SameSite=Lax (sent on the
 * IdP's top-level redirect back), Path=/, ten minutes.
 */
const SSO_PLAIN_NAME = "gh_sso";
const SSO_SECURE_NAME = "__Host-gh_sso";

export function readSsoCookie(cookieHeader: string | null, secure: boolean): string | null {
  const value = readCookie(cookieHeader, secure ? SSO_SECURE_NAME : SSO_PLAIN_NAME);
  return value && /^[A-Za-z0-9_-]{16,128}$/.test(value) ? value : null;
}

export function ssoCookie(value: string | null, secure: boolean, maxAgeSeconds: number): string {
  const name = secure ? SSO_SECURE_NAME : SSO_PLAIN_NAME;
  const attributes = `Path=/; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
  return value === null
    ? `${name}=; ${attributes}; Max-Age=0`
    : `${name}=${value}; ${attributes}; Max-Age=${maxAgeSeconds}`;
}
