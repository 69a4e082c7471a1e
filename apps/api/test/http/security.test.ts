/**
 * The HTTP-level defences, attacked the way a browser or a script would: login rate limits
 * (per account and per address), CSRF on cookie-authenticated POSTs, cookie flags, secrets
 * in responses, request size and batch limits and request ids (security headers:
 * security-headers.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../src/auth/password.ts";
import { appRouter } from "../../src/routers/index.ts";
import { type Harness, startHarness } from "../support/harness.ts";
import { call, type Out, rawRequest } from "../support/http.ts";
import { insertServiceToken, insertSession, insertUser, sessionIdOf } from "../support/fixtures.ts";
import { findSecretLeaks, listProcedures } from "../support/router-walk.ts";

const password = "security suite password";
const FOREIGN_ORIGIN = "https://evil.example.net";
const ALLOWED_ORIGIN = "https://console.example.com";
const MASTER_KEY = "sk-security-suite-master-key-7f3a9c";

let h: Harness;
let passwordHash: string;
let adminId: string;
let victimId: string;

beforeAll(async () => {
  h = await startHarness({
    env: {
      GATEHOUSE_ALLOWED_ORIGINS: ALLOWED_ORIGIN,
      // Per-address limits have their own harness below; here they must not interfere
      // with the per-account tests, which all come from 127.0.0.1.
      GATEHOUSE_LOGIN_MAX_PER_ADDRESS: "1000",
    },
  });
  passwordHash = await hashPassword(password);
  adminId = await insertUser(h.db, {
    email: "admin@security.example.com",
    isSystemAdmin: true,
    passwordHash,
  });
  victimId = await insertUser(h.db, {
    email: "victim@security.example.com",
    name: "Victim",
    passwordHash,
  });
  await h.db.prisma.region.create({
    data: {
      name: "security region",
      litellmBaseUrl: "http://127.0.0.1:1",
      litellmMasterKey: MASTER_KEY,
    },
  });
});
afterAll(() => h?.close());

const WINDOW_MS = 15 * 60_000;

function login(email: string, pw: string, headers?: Record<string, string>) {
  return h.mutation("auth.login", { email, password: pw }, headers ? { headers } : {});
}

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

describe("secrets never leave in a response", () => {
  async function knownSecrets(): Promise<string[]> {
    const sessions = await h.db.prisma.session.findMany({ select: { tokenHash: true } });
    const tokens = await h.db.prisma.serviceToken.findMany({ select: { tokenHash: true } });
    return [
      passwordHash,
      MASTER_KEY,
      ...sessions.map((s) => s.tokenHash),
      ...tokens.map((t) => t.tokenHash),
    ];
  }

  it("in a representative set of successful and failed calls", async () => {
    const bearer = await insertServiceToken(h.db, { admin: true });
    const otherSession = await insertSession(h, victimId);
    const admin = { cookie: await insertSession(h, adminId) };
    const created = await h.mutation<Out<"serviceTokens.create">>(
      "serviceTokens.create",
      {
        name: "leak scan",
        scope: "admin",
      },
      { credentials: admin },
    );
    expect(created.status).toBe(200);

    const responses = [
      created,
      await login("admin@security.example.com", password),
      await login("admin@security.example.com", "wrong password!!"),
      await h.query("auth.me", undefined, { credentials: admin }),
      await h.query("auth.me", undefined, { credentials: { bearer } }),
      await h.query("users.list", { pageSize: 100 }, { credentials: admin }),
      await h.mutation(
        "users.create",
        {
          email: "leakcheck@security.example.com",
          name: "Leak",
          password: "leak check password",
        },
        { credentials: admin },
      ),
      await h.mutation(
        "users.update",
        { userId: victimId, password: "another long password" },
        {
          credentials: admin,
        },
      ),
      await h.query("sessions.list", { userId: victimId }, { credentials: admin }),
      await h.query("sessions.list", undefined, { credentials: admin }),
      await h.query("serviceTokens.list", undefined, { credentials: admin }),
      await h.mutation(
        "serviceTokens.revoke",
        { serviceTokenId: created.data.id },
        { credentials: admin },
      ),
      await h.mutation(
        "sessions.revoke",
        { sessionId: await sessionIdOf(h.db, otherSession) },
        {
          credentials: { cookie: await insertSession(h, victimId) },
        },
      ),
      await h.mutation("users.create", { email: "bad", password: 1 }, { credentials: admin }),
    ];
    const known = [...(await knownSecrets()), bearer, otherSession];
    for (const res of responses) {
      const body = { data: res.data, error: res.error };
      // The new token's own secret is shown once, on purpose, by serviceTokens.create.
      const allowed = res === created ? [created.data.token] : [];
      expect(
        findSecretLeaks(
          body,
          known.filter((s) => !allowed.includes(s)),
        ),
      ).toEqual([]);
    }
  });

  it("in every query of the router, called by a system admin with no input", async () => {
    // Covers procedures added later (regions.list, audit.list...) without editing this file.
    const admin = { cookie: await insertSession(h, adminId) };
    const known = await knownSecrets();
    for (const { path, type } of listProcedures(appRouter)) {
      if (type !== "query") continue;
      const res = await h.query(path, undefined, { credentials: admin });
      expect(findSecretLeaks({ data: res.data, error: res.error }, known), path).toEqual([]);
    }
  });
});

describe("request limits", () => {
  // node:http with `Connection: close`: the server answers 413 before reading the whole
  // body, and a pooled keep-alive socket would then fail the next test's request.
  function postLogin(body: string) {
    return rawRequest(h.url, {
      method: "POST",
      path: "/trpc/auth.login",
      headers: { "content-type": "application/json", "x-gatehouse-csrf": "1", connection: "close" },
      body,
    });
  }

  it("answers 413 to a body over 1 MiB, before authentication or parsing", async () => {
    const res = await postLogin(JSON.stringify({ email: "x".repeat(1024 * 1024), password: "x" }));
    expect(res.status).toBe(413);
  });

  it("does not answer 413 just under the limit", async () => {
    const body = JSON.stringify({ email: "x".repeat(1024 * 1024 - 100), password: "x" });
    expect(body.length).toBeLessThan(1024 * 1024);
    expect((await postLogin(body)).status).toBe(400);
  });

  function batchGet(count: number, cookie: string) {
    const paths = Array.from({ length: count }, () => "auth.me").join(",");
    return fetch(`${h.url}/trpc/${paths}?batch=1&input=${encodeURIComponent("{}")}`, {
      headers: { cookie: `gh_session=${cookie}` },
    });
  }

  it("accepts a batch of 20 calls and refuses 21 with 400", async () => {
    const cookie = await insertSession(h, adminId);
    const ok = await batchGet(20, cookie);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as unknown[]).length).toBe(20);
    expect((await batchGet(21, cookie)).status).toBe(400);
  });

  it("runs none of the mutations of an oversized batch", async () => {
    const cookie = await insertSession(h, adminId);
    const count = 21;
    const paths = Array.from({ length: count }, () => "users.create").join(",");
    const input = Object.fromEntries(
      Array.from({ length: count }, (_, i) => [
        String(i),
        {
          email: `batch${i}@security.example.com`,
          name: `Batch ${i}`,
          password: "batch user password",
        },
      ]),
    );
    const res = await fetch(`${h.url}/trpc/${paths}?batch=1`, {
      method: "POST",
      headers: {
        cookie: `gh_session=${cookie}`,
        "content-type": "application/json",
        "x-gatehouse-csrf": "1",
      },
      body: JSON.stringify(input),
    });
    expect(res.status).toBe(400);
    expect(await h.db.prisma.user.count({ where: { email: { startsWith: "batch" } } })).toBe(0);
  });
});

describe("request ids", () => {
  it("returns X-Request-Id equal to the error body's requestId", async () => {
    const cookie = await insertSession(h, victimId);
    const cases = [
      ["401", await h.query("auth.me", undefined)],
      ["400", await h.mutation("auth.login", { email: "" })],
      [
        "403",
        await h.mutation(
          "users.create",
          {
            email: "x@security.example.com",
            name: "X",
            password: "twelve chars!!",
          },
          { credentials: { cookie } },
        ),
      ],
      [
        "404",
        await h.mutation(
          "sessions.revoke",
          { sessionId: crypto.randomUUID() },
          {
            credentials: { cookie },
          },
        ),
      ],
      [
        "csrf 403",
        await h.mutation("auth.logout", undefined, {
          headers: { origin: FOREIGN_ORIGIN },
        }),
      ],
    ] as const;
    for (const [label, res] of cases) {
      const header = res.headers.get("x-request-id");
      expect(header, label).toMatch(/^[A-Za-z0-9._-]{8,64}$/);
      expect(res.error?.data.requestId, label).toBe(header);
    }
  });

  // The request id is always the server's (see http/request-ids.test.ts); a client's goes to
  // logs only.
  it("never takes the incoming request id, well-formed or not", async () => {
    const kept = await h.query("auth.me", undefined, {
      headers: { "x-request-id": "lb-trace-12345678" },
    });
    expect(kept.headers.get("x-request-id")).not.toBe("lb-trace-12345678");
    expect(kept.error?.data.requestId).toBe(kept.headers.get("x-request-id"));

    const replaced = await h.query("auth.me", undefined, {
      headers: { "x-request-id": "forged id with spaces {injection}" },
    });
    expect(replaced.headers.get("x-request-id")).not.toContain("forged");
    expect(replaced.error?.data.requestId).toBe(replaced.headers.get("x-request-id"));
  });

  // Errors raised outside any procedure (body too large, batch too large) carry it too.
  it("puts the request id in the body of a 413", async () => {
    const big = await rawRequest(h.url, {
      method: "POST",
      path: "/trpc/auth.login",
      headers: { "content-type": "application/json", "x-gatehouse-csrf": "1", connection: "close" },
      body: "x".repeat(1024 * 1024 + 1),
    });
    const bigBody = JSON.parse(big.body) as { error?: { data?: { requestId?: string } } };
    expect(big.status).toBe(413);
    expect(bigBody.error?.data?.requestId).toBe(big.headers["x-request-id"]);
  });

  it("puts the request id in the body of an oversized batch's 400", async () => {
    const paths = Array.from({ length: 21 }, () => "auth.me").join(",");
    const batch = await fetch(`${h.url}/trpc/${paths}?batch=1&input=${encodeURIComponent("{}")}`);
    const batchBody = (await batch.json()) as { error?: { data?: { requestId?: string } } };
    expect(batchBody.error?.data?.requestId).toBe(batch.headers.get("x-request-id"));
  });
});

describe("concurrent requests", () => {
  // Regression (the embedded database mixed up concurrent connections): PGlite's socket
  // server (@electric-sql/pglite-socket 0.2.17) queues each protocol *message* separately
  // and keeps one connection's messages together only inside a transaction, so the
  // Parse/Bind/Execute of two pooled connections could interleave on PGlite's single
  // session. Fixed by one pooled connection per process on the embedded database
  // (packages/db/src/embedded.ts EMBEDDED_POOL_MAX); this test guards it.
  const itOnThisBackend = it;

  // A database of its own: on PGlite this test wedges the embedded server.
  let hc: Harness;
  beforeAll(async () => {
    hc = await startHarness();
  });
  afterAll(async () => {
    // A wedged embedded server never finishes closing; do not hang the run on it.
    await Promise.race([hc?.close(), new Promise((resolve) => setTimeout(resolve, 3_000))]);
  });

  /** One call with a deadline, so a wedged database fails the test instead of hanging it. */
  async function timedCall(
    type: "query" | "mutation",
    path: string,
    input: unknown,
    cookie: string,
  ) {
    const headers = {
      cookie: `gh_session=${cookie}`,
      "content-type": "application/json",
      "x-gatehouse-csrf": "1",
    };
    // Generous: it only has to tell a wedged database from a slow, loaded machine.
    const signal = AbortSignal.timeout(20_000);
    try {
      const response =
        type === "query"
          ? await fetch(`${hc.url}/trpc/${path}`, { headers, signal })
          : await fetch(`${hc.url}/trpc/${path}`, {
              method: "POST",
              headers,
              body: JSON.stringify(input),
              signal,
            });
      const body = (await response.json()) as {
        result?: { data: { user?: { id: string } } };
        error?: { message: string };
      };
      return {
        status: response.status,
        data: body.result?.data,
        message: body.error?.message ?? "",
      };
    } catch (error) {
      return { status: 0, data: undefined, message: String(error) };
    }
  }

  itOnThisBackend("each get their own, correct answer", async () => {
    const adminCookie = await insertSession(
      hc,
      await insertUser(hc.db, { email: "root@concurrent.example.com", isSystemAdmin: true }),
    );
    const people = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const userId = await insertUser(hc.db, { email: `person${i}@concurrent.example.com` });
        return { userId, cookie: await insertSession(hc, userId) };
      }),
    );
    const calls = Array.from({ length: 6 }, () =>
      people.flatMap(({ userId, cookie }, i) => [
        timedCall("query", "auth.me", undefined, cookie).then((res) => ({
          ok: res.status === 200 && res.data?.user?.id === userId,
          what: `me ${i}: ${res.status} ${res.message}`,
        })),
        // Mutations open transactions, which is when the interleaving shows.
        timedCall(
          "mutation",
          "users.update",
          { userId, name: `Concurrent ${i}` },
          adminCookie,
        ).then((res) => ({
          ok: res.status === 200,
          what: `update ${i}: ${res.status} ${res.message}`,
        })),
      ]),
    ).flat();
    const results = await Promise.all(calls);
    expect(results.filter((r) => !r.ok).map((r) => r.what)).toEqual([]);
  });
});
