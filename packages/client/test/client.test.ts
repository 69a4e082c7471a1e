/**
 * The typed client against the real API: a real HTTP server on a real database (PGlite,
 * and the PostgreSQL server when configured), called the way an internal service would.
 *
 * The server comes from apps/api's test harness, imported by path: @gatehouse/client's
 * dev dependency on @gatehouse/api gives us the server, but the database factory
 * (@gatehouse/db/testing) and the logger (pino) are not dependencies of this package, and
 * the harness resolves them from apps/api. There is no cycle: apps/api never imports this
 * package.
 */
import { CSRF_HEADER as SERVER_CSRF_HEADER, MAX_BATCH_SIZE } from "@gatehouse/api";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import {
  addOrgMember,
  insertOrganization,
  insertServiceToken,
  insertSession,
  insertUser,
} from "../../../apps/api/test/support/fixtures.ts";
import { startHarness, type Harness } from "../../../apps/api/test/support/harness.ts";
import {
  createGatehouseClient,
  CSRF_HEADER,
  isGatehouseClientError,
  MAX_BATCH_ITEMS,
  type RouterInputs,
  type RouterOutputs,
} from "../src/index.ts";

let h: Harness;
let adminToken: string;
let orgToken: string;
let orgId: string;
let memberId: string;

beforeAll(async () => {
  h = await startHarness();
  orgId = await insertOrganization(h.db, "Client Org");
  memberId = await insertUser(h.db, { email: "member@client.example.com" });
  await insertUser(h.db, { email: "outsider@client.example.com" });
  await addOrgMember(h.db, orgId, memberId, "MEMBER");
  adminToken = await insertServiceToken(h.db, { admin: true });
  orgToken = await insertServiceToken(h.db, { organizationId: orgId });
});
afterAll(() => h?.close());

/** A fetch that records what leaves, then really sends it. */
function recordingFetch() {
  const requests: { url: string; method: string; headers: Headers }[] = [];
  const fetchImpl: typeof globalThis.fetch = (input, init) => {
    const request = new Request(input, init);
    requests.push({ url: request.url, method: request.method, headers: request.headers });
    return globalThis.fetch(request);
  };
  return { requests, fetch: fetchImpl };
}

describe("createGatehouseClient", () => {
  it("matches the server's limits and header names", () => {
    expect(MAX_BATCH_ITEMS).toBe(MAX_BATCH_SIZE);
    expect(CSRF_HEADER).toBe(SERVER_CSRF_HEADER);
  });

  it("calls auth.me with an admin-scoped service token", async () => {
    const client = createGatehouseClient({ url: h.url, token: adminToken });
    const me = await client.auth.me.query();
    expect(me).toMatchObject({ kind: "service", scope: "admin", organizationId: null });
  });

  it("sees what an org-scoped token may see, typed", async () => {
    const client = createGatehouseClient({ url: `${h.url}/trpc/`, token: orgToken });
    const me = await client.auth.me.query();
    expect(me).toMatchObject({ kind: "service", scope: "organization", organizationId: orgId });
    const page = await client.users.list.query({ pageSize: 10 });
    expect(page.items.map((u) => u.id)).toEqual([memberId]);
    // Plain JSON on the wire: dates are ISO strings, and the types say so.
    expectTypeOf(page.items[0]!.createdAt).toEqualTypeOf<string>();
  });

  it("sends the bearer token and the CSRF header, and extra headers", async () => {
    const recorder = recordingFetch();
    const client = createGatehouseClient({
      url: h.url,
      token: adminToken,
      fetch: recorder.fetch,
      headers: () => ({ "x-request-id": "client-test-0001" }),
    });
    await client.auth.me.query();
    const [request] = recorder.requests;
    expect(request?.headers.get("authorization")).toBe(`Bearer ${adminToken}`);
    expect(request?.headers.get(CSRF_HEADER)).toBe("1");
    expect(request?.headers.get("x-request-id")).toBe("client-test-0001");
  });

  it("works with a forwarded session cookie for mutations, thanks to the CSRF header", async () => {
    const cookie = await insertSession(h, memberId);
    const client = createGatehouseClient({
      url: h.url,
      headers: { cookie: `gh_session=${cookie}` },
    });
    const me = await client.auth.me.query();
    expect(me.kind).toBe("user");
    await expect(client.auth.logout.mutate()).resolves.toEqual({ ok: true });
    await expect(client.auth.me.query()).rejects.toThrow();
  });

  it("splits a burst of calls into batches the server accepts", async () => {
    const recorder = recordingFetch();
    const client = createGatehouseClient({ url: h.url, token: adminToken, fetch: recorder.fetch });
    const results = await Promise.all(Array.from({ length: 25 }, () => client.auth.me.query()));
    expect(results).toHaveLength(25);
    expect(recorder.requests).toHaveLength(2);
    expect(recorder.requests.every((r) => r.method === "GET")).toBe(true);
  });

  it("surfaces refusals with the server's code, status and request id", async () => {
    const client = createGatehouseClient({ url: h.url, token: orgToken });
    const error = await client.users.create
      .mutate({ email: "x@client.example.com", name: "X", password: "a long enough password" })
      .catch((e: unknown) => e);
    expect(isGatehouseClientError(error)).toBe(true);
    if (!isGatehouseClientError(error)) return;
    expect(error.data?.code).toBe("FORBIDDEN");
    expect(error.data?.httpStatus).toBe(403);
    expect(error.data?.requestId).toBeTruthy();

    const anonymous = createGatehouseClient({ url: h.url, token: "ghst_revokedOrNeverIssued" });
    const refused = await anonymous.auth.me.query().catch((e: unknown) => e);
    expect(isGatehouseClientError(refused) && refused.data?.code).toBe("UNAUTHORIZED");
  });

  it("reports bad input field by field", async () => {
    const client = createGatehouseClient({ url: h.url, token: adminToken });
    const error = await client.users.create
      .mutate({ email: "not-an-email", name: "N", password: "short" })
      .catch((e: unknown) => e);
    expect(isGatehouseClientError(error) && error.data?.fieldErrors).toMatchObject({
      email: [expect.any(String)],
      password: [expect.any(String)],
    });
  });
});

describe("inferred types", () => {
  it("exposes procedure inputs and outputs by path", () => {
    expectTypeOf<RouterInputs["users"]["create"]>().toExtend<{
      email: string;
      name: string;
      password: string;
    }>();
    expectTypeOf<
      RouterOutputs["users"]["list"]["items"][number]["email"]
    >().toEqualTypeOf<string>();
    expectTypeOf<RouterOutputs["auth"]["me"]["kind"]>().toEqualTypeOf<"user" | "service">();
  });
});
