/**
 * Request limits, refused early and answered like every other error (JSON body with the
 * request id, the X-Request-Id header, the security headers):
 * - a body over 1 MiB is 413 from its Content-Length alone, before the body is sent, and
 *   after 1 MiB of a chunked body, without reading the rest;
 * - a batch of more than 20 calls is 400 and runs none of them;
 * - a URL or headers over Node's 16 KiB limit (a query whose input is too long for a GET)
 *   is 431, and malformed HTTP is 400, both answered by our handler rather than Node's
 *   empty default (src/server.ts answerClientError);
 * - errors tRPC raises before any context exists (unsupported content type, unparseable
 *   batch) still carry the request id (src/trpc/init.ts requestIdScope).
 */
import net from "node:net";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_BATCH_SIZE, MAX_BODY_BYTES } from "../../src/http/app.ts";
import { type Harness, startHarness } from "../support/harness.ts";
import { insertSession, insertUser } from "../support/fixtures.ts";

let h: Harness;
let cookie: string;

beforeAll(async () => {
  h = await startHarness({ serialPglite: true });
  cookie = `gh_session=${await insertSession(h, await insertUser(h.db, { email: "admin@limits.example.com", isSystemAdmin: true }))}`;
});
afterAll(() => h?.close());

interface ErrorBody {
  error: {
    code: number;
    message: string;
    data: {
      code: string;
      httpStatus: number;
      requestId: string;
      fieldErrors: Record<string, string[]> | null;
    };
  };
}

/** The promises every error answer keeps, whoever produced it. */
function expectCleanError(
  status: number,
  headers: http.IncomingHttpHeaders | Headers,
  body: string,
  expected: { status: number; code: string },
): ErrorBody {
  const header = (name: string): string | null =>
    headers instanceof Headers
      ? headers.get(name)
      : ((headers[name] as string | undefined) ?? null);
  expect(status).toBe(expected.status);
  const parsed = JSON.parse(body) as ErrorBody;
  expect(parsed.error.data.code).toBe(expected.code);
  expect(parsed.error.data.httpStatus).toBe(expected.status);
  expect(parsed.error.data.requestId).toMatch(/^[A-Za-z0-9._-]{8,64}$/);
  expect(parsed.error.data.requestId).toBe(header("x-request-id"));
  expect(header("content-security-policy")).toMatch(/frame-ancestors 'none'/);
  expect(header("x-content-type-options")).toBe("nosniff");
  return parsed;
}

/**
 * Sends the head of a POST and `sent` bytes of its body, then waits for an answer without
 * sending the rest: an answer proves the server refused without reading the whole body.
 */
function postPartially(
  path: string,
  headers: Record<string, string>,
  chunks: Buffer[],
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${h.url}${path}`,
      { method: "POST", headers: { ...headers, connection: "close" } },
      (res) => {
        const parts: Buffer[] = [];
        res.on("data", (c: Buffer) => parts.push(c));
        res.on("end", () => {
          req.destroy();
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(parts).toString("utf8"),
          });
        });
      },
    );
    req.on("error", reject);
    for (const chunk of chunks) req.write(chunk);
    // Never ended: the body is incomplete on purpose.
    setTimeout(
      () => reject(new Error("no answer within 10 s: the server waited for the whole body")),
      10_000,
    ).unref();
  });
}

describe("oversized bodies", () => {
  it("are refused with 413 from the Content-Length alone, before the body arrives", async () => {
    const res = await postPartially(
      "/trpc/orgs.create",
      {
        cookie,
        "x-gatehouse-csrf": "1",
        "content-type": "application/json",
        "content-length": String(50 * MAX_BODY_BYTES),
      },
      [Buffer.from('{"name":"')],
    );
    expectCleanError(res.status, res.headers, res.body, { status: 413, code: "PAYLOAD_TOO_LARGE" });
  });

  it("are refused with 413 after 1 MiB of a chunked body, without reading the rest", async () => {
    const chunk = Buffer.alloc(256 * 1024, "x");
    const res = await postPartially(
      "/trpc/orgs.create",
      {
        cookie,
        "x-gatehouse-csrf": "1",
        "content-type": "application/json",
        "transfer-encoding": "chunked",
      },
      [Buffer.from('{"name":"'), chunk, chunk, chunk, chunk, chunk],
    );
    expectCleanError(res.status, res.headers, res.body, { status: 413, code: "PAYLOAD_TOO_LARGE" });
    expect(await h.db.prisma.organization.count()).toBe(0);
  });

  it("just under the limit are read and validated (400 naming the field)", async () => {
    const body = JSON.stringify({ name: "x".repeat(MAX_BODY_BYTES - 100) });
    const res = await fetch(`${h.url}/trpc/orgs.create`, {
      method: "POST",
      headers: { cookie, "x-gatehouse-csrf": "1", "content-type": "application/json" },
      body,
    });
    const parsed = expectCleanError(res.status, res.headers, await res.text(), {
      status: 400,
      code: "BAD_REQUEST",
    });
    expect(Object.keys(parsed.error.data.fieldErrors ?? {})).toEqual(["name"]);
  });
});

describe("oversized batches", () => {
  it(`refuse more than ${MAX_BATCH_SIZE} calls with 400 and a request id, and run none of them`, async () => {
    const count = MAX_BATCH_SIZE + 1;
    const paths = Array.from({ length: count }, () => "orgs.create").join(",");
    const input = Object.fromEntries(
      Array.from({ length: count }, (_, i) => [String(i), { name: `batch org ${i}` }]),
    );
    const res = await fetch(`${h.url}/trpc/${paths}?batch=1`, {
      method: "POST",
      headers: { cookie, "x-gatehouse-csrf": "1", "content-type": "application/json" },
      body: JSON.stringify(input),
    });
    const parsed = expectCleanError(res.status, res.headers, await res.text(), {
      status: 400,
      code: "BAD_REQUEST",
    });
    expect(parsed.error.message).toMatch(/batch/i);
    expect(await h.db.prisma.organization.count()).toBe(0);
  });

  it(`accept exactly ${MAX_BATCH_SIZE}`, async () => {
    const paths = Array.from({ length: MAX_BATCH_SIZE }, () => "auth.me").join(",");
    const res = await fetch(`${h.url}/trpc/${paths}?batch=1&input=${encodeURIComponent("{}")}`, {
      headers: { cookie },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as unknown[]).length).toBe(MAX_BATCH_SIZE);
  });
});

describe("requests Node cannot parse", () => {
  it("a URL over 16 KiB (a query input too long for a GET) is 431 with a JSON body and a request id", async () => {
    const input = encodeURIComponent(JSON.stringify({ search: "x".repeat(20_000) }));
    const res = await fetch(`${h.url}/trpc/teams.list?input=${input}`, { headers: { cookie } });
    expectCleanError(res.status, res.headers, await res.text(), {
      status: 431,
      code: "PAYLOAD_TOO_LARGE",
    });
  });

  it("malformed HTTP is 400 with a JSON body and a request id", async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(h.server.port, "127.0.0.1", () =>
        socket.write("NOT-HTTP garbage\r\n\r\n"),
      );
      const parts: Buffer[] = [];
      socket.on("data", (c: Buffer) => parts.push(c));
      socket.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
      socket.on("error", reject);
    });
    const [head = "", body = ""] = raw.split("\r\n\r\n");
    const headers = new Headers(
      head
        .split("\r\n")
        .slice(1)
        .map(
          (line) =>
            [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1).trim()] as [
              string,
              string,
            ],
        ),
    );
    const status = Number(head.split(" ")[1]);
    const parsed = expectCleanError(status, headers, body, { status: 400, code: "BAD_REQUEST" });
    expect(Object.keys(parsed.error.data.fieldErrors ?? {})).toEqual(["_"]);
  });
});

describe("errors raised before the context exists", () => {
  it("an unsupported content type carries the request id", async () => {
    const res = await fetch(`${h.url}/trpc/orgs.create`, {
      method: "POST",
      headers: {
        cookie,
        "x-gatehouse-csrf": "1",
        "content-type": "text/plain",
        "x-request-id": "limits-test-0001",
      },
      body: '{"name":"x"}',
    });
    expect(res.status).toBe(415);
    // The server's id, not the client's "limits-test-0001" (http/request-ids.test.ts).
    expect(((await res.json()) as ErrorBody).error.data.requestId).toBe(
      res.headers.get("x-request-id"),
    );
    expect(res.headers.get("x-request-id")).not.toBe("limits-test-0001");
  });

  it("an unparseable batch input carries the request id", async () => {
    const res = await fetch(`${h.url}/trpc/teams.list,teams.list?batch=1&input=%7Bnot-json`, {
      headers: { cookie },
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const body = (await res.json()) as ErrorBody | ErrorBody[];
    for (const envelope of Array.isArray(body) ? body : [body]) {
      expect(envelope.error.data.requestId).toBe(res.headers.get("x-request-id"));
    }
  });
});
