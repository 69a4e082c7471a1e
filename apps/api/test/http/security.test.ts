/**
 * The HTTP-level defences of signing in, attacked the way a browser or a script would: login
 * rate limits (per account and per address), CSRF on cookie-authenticated POSTs and the
 * session cookie's flags (security headers: security-headers.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../support/harness.ts";
import { call, rawRequest } from "../support/http.ts";
import { insertServiceToken, insertSession, insertUser } from "../support/fixtures.ts";
import { password, FOREIGN_ORIGIN, ALLOWED_ORIGIN, h, passwordHash, adminId } from "./suite.ts";
import { victimId, WINDOW_MS, login } from "./suite.ts";
describe("login rate limiting per account", () => {
  it("refuses the 11th attempt in the window even with the right password, then recovers", async () => {
    const email = "limited@security.example.com";
    await insertUser(h.db, { email, passwordHash });
    for (let i = 1; i <= 10; i++) {
      expect((await login(email, "wrong password!!")).status, `attempt ${i}`).toBe(401);
    }
    const refused = await login(email, password);
    expect(refused.status).toBe(429);
    expect(refused.error?.data.code).toBe("TOO_MANY_REQUESTS");
    expect(refused.headers.getSetCookie()).toEqual([]);
    // The address-wide limit is not what refused it: another account still logs in.
    expect((await login("victim@security.example.com", password)).status).toBe(200);
    // Case and spaces do not make a new account key.
    expect((await login("  LIMITED@security.example.com", password)).status).toBe(429);

    h.clock.advance(WINDOW_MS + 1_000);
    expect((await login(email, password)).status).toBe(200);
  });

  it("limits unknown accounts the same way, so the answer does not reveal which exist", async () => {
    const email = "nobody@security.example.com";
    for (let i = 1; i <= 10; i++) expect((await login(email, password)).status).toBe(401);
    expect((await login(email, password)).status).toBe(429);
    h.clock.advance(WINDOW_MS + 1_000);
  });
});

describe("login rate limiting per address", () => {
  let h2: Harness;
  beforeAll(async () => {
    h2 = await startHarness({ env: { GATEHOUSE_LOGIN_MAX_PER_ADDRESS: "5" } });
    await insertUser(h2.db, { email: "real@address.example.com", passwordHash });
  });
  afterAll(() => h2?.close());

  const attempt = (email: string, pw: string, forwardedFor: string) =>
    call(
      h2.url,
      "mutation",
      "auth.login",
      { email, password: pw },
      { headers: { "x-forwarded-for": forwardedFor } },
    );

  it("refuses the 6th attempt from one address whatever the account; a spoofed X-Forwarded-For does not help", async () => {
    for (let i = 1; i <= 5; i++) {
      // A different account and a different claimed address each time: neither resets it.
      expect(
        (await attempt(`spray${i}@address.example.com`, "guess guess guess", `203.0.113.${i}`))
          .status,
      ).toBe(401);
    }
    const refused = await attempt("real@address.example.com", password, "203.0.113.99");
    expect(refused.status).toBe(429);
    expect(refused.error?.data.code).toBe("TOO_MANY_REQUESTS");

    h2.clock.advance(WINDOW_MS + 1_000);
    expect((await attempt("real@address.example.com", password, "203.0.113.99")).status).toBe(200);
  });

  it("behind a trusted proxy, counts per forwarded client address", async () => {
    h2.clock.advance(WINDOW_MS + 1_000);
    // The config object is the server's own: flipping it here is what setting
    // GATEHOUSE_TRUST_PROXY=1 does, without starting another database.
    h2.config.trustProxyHops = 1;
    try {
      for (let i = 1; i <= 5; i++) {
        expect(
          (await attempt(`proxy${i}@address.example.com`, "guess guess guess", "198.51.100.7"))
            .status,
        ).toBe(401);
      }
      expect((await attempt("real@address.example.com", password, "198.51.100.7")).status).toBe(
        429,
      );
      expect((await attempt("real@address.example.com", password, "198.51.100.8")).status).toBe(
        200,
      );
    } finally {
      h2.config.trustProxyHops = 0;
    }
  });
});

describe("CSRF: cookie-authenticated mutations must be same-origin", () => {
  async function rename(
    name: string,
    options: { headers?: Record<string, string>; noCsrfHeader?: boolean },
  ) {
    const credentials = { cookie: await insertSession(h, adminId) };
    return h.mutation("users.update", { userId: victimId, name }, { credentials, ...options });
  }
  async function victimName(): Promise<string> {
    return (await h.db.prisma.user.findUniqueOrThrow({ where: { id: victimId } })).name;
  }
  async function auditCount(): Promise<number> {
    return h.db.prisma.auditEvent.count({ where: { action: "user.update", targetId: victimId } });
  }

  it("refuses a foreign Origin with 403 and changes nothing", async () => {
    const before = { name: await victimName(), audits: await auditCount() };
    const res = await rename("Pwned by Origin", { headers: { origin: FOREIGN_ORIGIN } });
    expect(res.status).toBe(403);
    expect(res.error?.data.code).toBe("FORBIDDEN");
    expect(await victimName()).toBe(before.name);
    expect(await auditCount()).toBe(before.audits);
  });

  it("refuses a POST with neither Origin nor the custom header", async () => {
    const before = await victimName();
    const res = await rename("Pwned without header", { noCsrfHeader: true });
    expect(res.status).toBe(403);
    expect(await victimName()).toBe(before);
  });

  it("refuses Sec-Fetch-Site: cross-site even with a matching Origin and the header", async () => {
    const before = await victimName();
    const res = await rename("Pwned cross-site", {
      headers: { origin: h.url, "sec-fetch-site": "cross-site" },
    });
    expect(res.status).toBe(403);
    expect(await victimName()).toBe(before);
  });

  it("refuses the opaque 'null' Origin of sandboxed frames and redirects", async () => {
    const res = await rename("Pwned by null", { headers: { origin: "null" }, noCsrfHeader: true });
    expect(res.status).toBe(403);
  });

  it("refuses login CSRF too (logging a victim into the attacker's account)", async () => {
    const res = await h.mutation(
      "auth.login",
      { email: "admin@security.example.com", password },
      {
        headers: { origin: FOREIGN_ORIGIN },
      },
    );
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it("accepts the same origin without the custom header", async () => {
    const res = await rename("Renamed same-origin", {
      headers: { origin: h.url },
      noCsrfHeader: true,
    });
    expect(res.status).toBe(200);
    expect(await victimName()).toBe("Renamed same-origin");
  });

  it("accepts the custom header without an Origin (non-browser clients)", async () => {
    const res = await rename("Renamed with header", {});
    expect(res.status).toBe(200);
  });

  it("accepts a configured allowed origin", async () => {
    const res = await rename("Renamed from console", {
      headers: { origin: ALLOWED_ORIGIN },
      noCsrfHeader: true,
    });
    expect(res.status).toBe(200);
  });

  it("does not let a mutation run as a GET (which carries no Origin check)", async () => {
    const before = await victimName();
    const cookie = await insertSession(h, adminId);
    const input = encodeURIComponent(JSON.stringify({ userId: victimId, name: "Pwned by GET" }));
    const res = await fetch(`${h.url}/trpc/users.update?input=${input}`, {
      headers: { cookie: `gh_session=${cookie}` },
    });
    expect(res.status).toBe(405);
    expect(await victimName()).toBe(before);
  });

  it("exempts bearer-token POSTs, which carry no ambient credential", async () => {
    const bearer = await insertServiceToken(h.db, { admin: true });
    const res = await h.mutation(
      "users.update",
      { userId: victimId, name: "Renamed by service" },
      {
        credentials: { bearer },
        headers: { origin: FOREIGN_ORIGIN },
        noCsrfHeader: true,
      },
    );
    expect(res.status).toBe(200);
  });

  it("does not let a junk bearer header smuggle a cookie past the check", async () => {
    const before = await victimName();
    const cookie = await insertSession(h, adminId);
    const res = await h.mutation(
      "users.update",
      { userId: victimId, name: "Pwned by junk bearer" },
      {
        headers: {
          cookie: `gh_session=${cookie}`,
          authorization: "Bearer junk",
          origin: FOREIGN_ORIGIN,
        },
        noCsrfHeader: true,
      },
    );
    // The bearer path ignores the cookie: an unknown token is no one.
    expect(res.status).toBe(401);
    expect(await victimName()).toBe(before);
  });
});

function setCookiesOf(headers: Record<string, string | string[] | undefined>): string[] {
  const raw = headers["set-cookie"];
  return raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
}

describe("session cookie flags", () => {
  const loginBody = JSON.stringify({ email: "admin@security.example.com", password });

  it("is HttpOnly, SameSite=Lax, Secure and __Host- prefixed for a non-local host", async () => {
    const res = await rawRequest(h.url, {
      method: "POST",
      path: "/trpc/auth.login",
      headers: {
        host: "gatehouse.example.com",
        origin: "https://gatehouse.example.com",
        "content-type": "application/json",
      },
      body: loginBody,
    });
    expect(res.status).toBe(200);
    const [cookie, device, ...others] = setCookiesOf(res.headers);
    expect(others).toEqual([]);
    expect(cookie).toMatch(/^__Host-gh_session=ghs_/);
    // The device cookie (login limits: a known place) carries the same flags.
    expect(device).toMatch(
      /^__Host-gh_device=[A-Za-z0-9_-]+; Path=\/; HttpOnly; SameSite=Lax; Secure;/,
    );
    const attributes = cookie!.split(";").map((a) => a.trim().toLowerCase());
    expect(attributes).toEqual(
      expect.arrayContaining(["httponly", "samesite=lax", "secure", "path=/"]),
    );
    // __Host- cookies must not name a Domain.
    expect(attributes.some((a) => a.startsWith("domain="))).toBe(false);

    const token = /^__Host-gh_session=([^;]+)/.exec(cookie!)![1]!;
    const me = await rawRequest(h.url, {
      path: "/trpc/auth.me",
      headers: { host: "gatehouse.example.com", cookie: `__Host-gh_session=${token}` },
    });
    expect(me.status).toBe(200);

    const out = await rawRequest(h.url, {
      method: "POST",
      path: "/trpc/auth.logout",
      headers: {
        host: "gatehouse.example.com",
        origin: "https://gatehouse.example.com",
        cookie: `__Host-gh_session=${token}`,
        "content-type": "application/json",
      },
    });
    expect(out.status).toBe(200);
    const cleared = setCookiesOf(out.headers)[0] ?? "";
    expect(cleared).toMatch(/^__Host-gh_session=;/);
    expect(cleared).toMatch(/Secure/);
    expect(cleared).toMatch(/Max-Age=0/);
  });

  it.each(["localhost", "127.0.0.1", "[::1]"])(
    "is not Secure for %s, so plain-HTTP development works",
    async (host) => {
      const port = new URL(h.url).port;
      const res = await rawRequest(h.url, {
        method: "POST",
        path: "/trpc/auth.login",
        headers: {
          host: `${host}:${port}`,
          origin: `http://${host}:${port}`,
          "content-type": "application/json",
        },
        body: loginBody,
      });
      expect(res.status).toBe(200);
      const cookie = setCookiesOf(res.headers)[0] ?? "";
      expect(cookie).toMatch(/^gh_session=ghs_/);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).not.toMatch(/Secure/);
    },
  );

  // TODO(bug: unprefixed cookie accepted on secure hosts): apps/api/src/http/app.ts (the
  // `readSessionCookie(req.headers.get("cookie"))` call in createContext) and
  // http/cookies.ts `readSessionCookie` accept `gh_session` as well as `__Host-gh_session`
  // whatever the host. A sibling subdomain can plant a `gh_session` cookie (cookie
  // tossing); with a more specific Path it is sent first and wins, which defeats the
  // __Host- prefix (session fixation / login CSRF). Fix: pass `secure` and accept only
  // SECURE_NAME when the host is not local, only PLAIN_NAME when it is.
  it("ignores an unprefixed session cookie on a non-local host", async () => {
    const token = await insertSession(h, adminId);
    const res = await rawRequest(h.url, {
      path: "/trpc/auth.me",
      headers: { host: "gatehouse.example.com", cookie: `gh_session=${token}` },
    });
    expect(res.status).toBe(401);
  });
});
