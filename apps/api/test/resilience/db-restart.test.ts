/**
 * The database restarting under the API, played by a TCP proxy between the API's pool and
 * the database (support/tcp-proxy.ts), on both backends:
 * - connections cut while requests are in flight (one of them inside a transaction,
 *   waiting on a row lock): every request answers 200 or a clean 503 SERVICE_UNAVAILABLE
 *   with the request id, the interrupted transaction leaves nothing behind, and the next
 *   requests succeed without restarting anything;
 * - the database refusing connections: requests fail fast with 503 (public ones too, and
 *   /healthz says "unreachable"), then recover when it is back;
 * - the database accepting connections but never answering: requests fail with 503 within
 *   the pool's connection timeout instead of hanging;
 * - an established connection going silent mid-query (a frozen server or a network
 *   partition without a reset): requests fail with 503 within the pool's query timeout.
 */
import { createTestDatabase, testBackend } from "@gatehouse/db/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Harness, pglitePoolMax, startHarness } from "../support/harness.ts";
import { insertSession, insertUser } from "../support/fixtures.ts";
import { hostPort, startFaultProxy, type FaultProxy } from "../support/tcp-proxy.ts";

const CONNECT_TIMEOUT_MS = 1_500;
const QUERY_TIMEOUT_MS = 2_000;
/** Scheduling slack on a busy machine, on top of the timeouts above. */
const SLACK_MS = 2_500;

let h: Harness;
let proxy: FaultProxy;
let cookie: string;
let teamId: string;

beforeAll(async () => {
  const poolMax = pglitePoolMax();
  const db = await createTestDatabase(poolMax ? { poolMax } : {});
  proxy = await startFaultProxy(hostPort(db.url));
  h = await startHarness({
    db,
    serialPglite: true,
    apiUrl: (d) => proxy.url(d.url),
    connectionTimeoutMs: CONNECT_TIMEOUT_MS,
    queryTimeoutMs: QUERY_TIMEOUT_MS,
  });
  const adminId = await insertUser(h.db, {
    email: "admin@restart.example.com",
    isSystemAdmin: true,
  });
  cookie = `gh_session=${await insertSession(h, adminId)}`;
  const org = await h.db.prisma.organization.create({ data: { name: "Restart Org" } });
  teamId = (await h.db.prisma.team.create({ data: { name: "before", organizationId: org.id } })).id;
}, 60_000);
afterEach(async () => {
  await proxy.restore();
});
afterAll(async () => {
  await proxy?.restore();
  await h?.close();
  await proxy?.close();
});

interface Outcome {
  label: string;
  status: number;
  code: string | null;
  requestId: string | null;
  header: string | null;
  ms: number;
}

async function request(label: string, path: string, init: RequestInit = {}): Promise<Outcome> {
  const started = performance.now();
  const headers = {
    cookie,
    "x-gatehouse-csrf": "1",
    "content-type": "application/json",
    ...(init.headers as Record<string, string> | undefined),
  };
  const res = await fetch(`${h.url}${path}`, {
    ...init,
    headers,
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await res.json()) as { error?: { data?: { code?: string; requestId?: string } } };
  return {
    label,
    status: res.status,
    code: body.error?.data?.code ?? null,
    requestId: body.error?.data?.requestId ?? null,
    header: res.headers.get("x-request-id"),
    ms: performance.now() - started,
  };
}

const query = (label: string, path: string, input?: unknown) =>
  request(
    label,
    `/trpc/${path}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
  );
const mutate = (label: string, path: string, input: unknown) =>
  request(label, `/trpc/${path}`, { method: "POST", body: JSON.stringify(input) });

/** A clean outage answer: 503 SERVICE_UNAVAILABLE with the request id in body and header. */
function expectUnavailable(outcome: Outcome): void {
  expect(outcome, outcome.label).toMatchObject({ status: 503, code: "SERVICE_UNAVAILABLE" });
  expect(outcome.requestId, outcome.label).toBeTruthy();
  expect(outcome.requestId, outcome.label).toBe(outcome.header);
}

/** Requests succeed again, without restarting the API: polled briefly, must come back. */
async function expectRecovered(): Promise<void> {
  const deadline = Date.now() + CONNECT_TIMEOUT_MS + SLACK_MS;
  let last: Outcome | null = null;
  while (Date.now() < deadline) {
    last = await query("recovery", "teams.list");
    if (last.status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(last?.status).toBe(200);
  expect(
    (await mutate("recovery write", "teams.update", { teamId, name: "recovered" })).status,
  ).toBe(200);
  expect((await query("recovery me", "auth.me")).status).toBe(200);
}

describe("the database restarting", () => {
  it("cuts requests in flight with a clean 503 and a request id; the transaction leaves nothing; the API recovers", async () => {
    await expectRecovered();
    const before = await h.db.prisma.team.findUniqueOrThrow({ where: { id: teamId } });
    const auditsBefore = await h.db.prisma.auditEvent.count({ where: { targetId: teamId } });

    const outcomes = await cutWhileInFlight([
      () => mutate("update in flight", "teams.update", { teamId, name: "interrupted" }),
      () => query("list in flight", "teams.list"),
      () => query("get in flight", "teams.get", { teamId }),
      () => query("orgs in flight", "orgs.list"),
    ]);
    for (const outcome of outcomes) {
      if (outcome.status !== 200) expectUnavailable(outcome);
    }
    expectUnavailable(outcomes[0]!);
    // The interrupted transaction rolled back: no new name, no audit event.
    const after = await h.db.prisma.team.findUniqueOrThrow({ where: { id: teamId } });
    expect(after.name).toBe(before.name);
    expect(await h.db.prisma.auditEvent.count({ where: { targetId: teamId } })).toBe(auditsBefore);

    await expectRecovered();
  });

  it("more interrupted transactions than the pool has connections do not exhaust it (no leaked connection)", async () => {
    // Prisma ends a transaction by sending ROLLBACK and releases its connection only if
    // that succeeds; on a dead connection it never did, leaking one pool slot per
    // interrupted transaction until none was left (packages/db/src/client.ts guardPooledClient).
    const slots = h.apiDb.pool.options.max;
    for (let i = 0; i <= slots; i++) {
      await expectRecovered();
      const [update] = await cutWhileInFlight([
        () =>
          mutate(`interrupted update ${i}`, "teams.update", { teamId, name: `interrupted ${i}` }),
      ]);
      expectUnavailable(update!);
    }
    await expectRecovered();
    const { totalCount, idleCount } = h.apiDb.pool;
    expect(totalCount - idleCount, "connections still checked out").toBe(0);
  });

  it("refused connections: every request fails fast with a clean 503 (public ones and /healthz too), then recovers", async () => {
    await proxy.refuse();
    const outcomes = await Promise.all([
      query("authed query", "teams.list"),
      mutate("authed mutation", "orgs.create", { name: "while down" }),
      query("no session", "auth.me").then((o) => ({ ...o, note: "session lookup fails" })),
      request("public mutation", "/trpc/auth.login", {
        method: "POST",
        body: JSON.stringify({ email: "admin@restart.example.com", password: "whatever whatever" }),
      }),
    ]);
    for (const outcome of outcomes) {
      expectUnavailable(outcome);
      expect(outcome.ms, outcome.label).toBeLessThan(CONNECT_TIMEOUT_MS + SLACK_MS);
    }
    const health = await fetch(`${h.url}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: "unavailable", database: "unreachable" });

    await proxy.restore();
    await expectRecovered();
    expect(await h.db.prisma.organization.count({ where: { name: "while down" } })).toBe(0);
  });

  it("a database that accepts connections but never answers: 503 within the connection timeout, not a hang", async () => {
    await proxy.stall();
    // Let the pool see its old connections close, so these requests must open new ones.
    await waitFor(() => Promise.resolve(h.apiDb.pool.totalCount === 0));
    const outcomes = await Promise.all([
      query("stalled query", "teams.list"),
      mutate("stalled mutation", "orgs.create", { name: "stalled" }),
    ]);
    for (const outcome of outcomes) {
      expectUnavailable(outcome);
      // Ended by the connection timeout, not before and not much after.
      expect(outcome.ms, outcome.label).toBeGreaterThanOrEqual(CONNECT_TIMEOUT_MS - 100);
      expect(outcome.ms, outcome.label).toBeLessThan(CONNECT_TIMEOUT_MS + SLACK_MS);
    }
    await proxy.restore();
    await expectRecovered();
  });

  it("an established connection going silent mid-query: 503 within the query timeout, then the pool recovers", async () => {
    await expectRecovered();
    proxy.freeze();
    const outcomes = await Promise.all([
      query("frozen query", "teams.list"),
      mutate("frozen mutation", "teams.update", { teamId, name: "frozen" }),
    ]);
    for (const outcome of outcomes) {
      expectUnavailable(outcome);
      expect(outcome.ms, outcome.label).toBeLessThan(
        QUERY_TIMEOUT_MS + CONNECT_TIMEOUT_MS + SLACK_MS,
      );
    }
    await proxy.restore();
    await expectRecovered();
  });
});

/**
 * Starts the calls while a transaction from outside the API holds the team's row, so an
 * update among them is truly in flight (inside its transaction, waiting on the lock) when
 * the proxy cuts every connection; then lets go of the lock. On PGlite a transaction held
 * by another connection queues every other statement instead: in flight all the same.
 */
async function cutWhileInFlight(calls: Array<() => Promise<Outcome>>): Promise<Outcome[]> {
  const holder = await h.db.pool.connect();
  try {
    await holder.query("BEGIN");
    await holder.query("SELECT id FROM teams WHERE id = $1::uuid FOR UPDATE", [teamId]);
    const inFlight = calls.map((c) => c());
    if (testBackend() === "postgres") {
      await waitFor(async () => {
        const { rows } = await h.db.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        return (rows[0]?.n ?? 0) >= 1;
      });
    } else {
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    proxy.cut();
    return await Promise.all(inFlight);
  } finally {
    await holder.query("ROLLBACK");
    holder.release();
  }
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
