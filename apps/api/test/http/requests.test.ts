/**
 * Requests as a script would send them: request size and batch limits, request ids, and
 * concurrent requests answered each on its own.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../support/harness.ts";
import { rawRequest } from "../support/http.ts";
import { insertSession, insertUser } from "../support/fixtures.ts";
import { FOREIGN_ORIGIN, h, adminId, victimId } from "./suite.ts";
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
