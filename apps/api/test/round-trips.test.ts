/**
 * How many database round trips a request costs (issue 14), counted at the pg client that
 * both Prisma's adapter and the hand-written SQL use. Counts, never timings: round trips are
 * what a busy database turns into latency, and they do not depend on the machine.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callOk, insertSession, insertUser, startHarness, type Harness } from "./harness.ts";

let h: Harness;
let admin: { cookie: string };

/**
 * Round trips made while `fn` runs, counted on the wire: each simple query message and each
 * Sync (the end of an extended-protocol query: Parse/Bind/Execute) is one round trip.
 * Counted at pg's Connection, below the pool: a pooled client's `query` is wrapped when it
 * connects (client.ts guardPooledClient), so patching Client#query missed every query on
 * a client connected before the count began, and counted nothing.
 */
async function countRoundTrips(fn: () => Promise<unknown>): Promise<number> {
  const proto = (pg as unknown as { Connection: { prototype: Record<string, unknown> } }).Connection
    .prototype as Record<"query" | "sync", (this: unknown, ...args: unknown[]) => unknown>;
  const original = { query: proto.query, sync: proto.sync };
  let count = 0;
  for (const name of ["query", "sync"] as const) {
    proto[name] = function (this: unknown, ...args: unknown[]) {
      count++;
      return original[name].apply(this, args);
    };
  }
  try {
    await fn();
  } finally {
    proto.query = original.query;
    proto.sync = original.sync;
  }
  return count;
}

beforeAll(async () => {
  h = await startHarness();
  const adminId = await insertUser(h.db, { email: "admin@example.com", isSystemAdmin: true });
  admin = { cookie: await insertSession(h, adminId) };
  // A warm server: the pool's one-time probe of the server (may it name statements?),
  // sent ahead of this request's own queries, is not a request's round trip.
  await callOk(h.url, "query", "teams.list", {}, admin);
});
afterAll(async () => h?.close());

describe("database round trips per request", () => {
  it("teams.get answers in at most 3 (session, access, detail) with everything on the page", async () => {
    const org = await h.db.prisma.organization.create({ data: { name: "Acme" } });
    const team = await h.db.prisma.team.create({
      data: { name: "Falcon", organizationId: org.id },
    });
    for (const [i, role] of (["ADMIN", "MEMBER", "READ_ONLY"] as const).entries()) {
      const userId = await insertUser(h.db, { email: `m${i}@example.com`, name: `Member ${i}` });
      await h.db.prisma.teamMember.create({
        data: { teamId: team.id, userId, role, createdAt: new Date(Date.UTC(2026, 0, 1 + i)) },
      });
    }
    const product = await h.db.prisma.product.create({
      data: { name: "Pro", limits: { maxBudgetUsd: 50 } },
    });
    await h.db.prisma.teamProduct.create({ data: { teamId: team.id, productId: product.id } });
    await h.db.prisma.teamBlock.create({
      data: { teamId: team.id, reason: "manual", note: "audit" },
    });

    let detail: Record<string, unknown> = {};
    const trips = await countRoundTrips(async () => {
      detail = await callOk(h.url, "query", "teams.get", { teamId: team.id }, admin);
    });
    // At least the session lookup and the answer: a counter that sees nothing fails here.
    expect(trips).toBeGreaterThanOrEqual(2);
    expect(trips).toBeLessThanOrEqual(3);
    expect(detail).toMatchObject({
      id: team.id,
      name: "Falcon",
      organization: { id: org.id, name: "Acme" },
      membersCount: 3,
      keysCount: 0,
      activeProducts: [{ id: product.id, name: "Pro" }],
      blocked: true,
      blockReasons: [{ reason: "manual", note: "audit" }],
      entitlement: {
        maxBudgetUsd: 50,
        sources: { maxBudgetUsd: { productId: product.id, productName: "Pro" } },
      },
      members: [
        { name: "Member 0", role: "ADMIN" },
        { name: "Member 1", role: "MEMBER" },
        { name: "Member 2", role: "READ_ONLY" },
      ],
      products: [{ productId: product.id, name: "Pro", status: "ACTIVE" }],
    });
    expect((detail.members as Array<{ createdAt: string }>)[0]!.createdAt).toBe(
      "2026-01-01T00:00:00.000Z",
    );
  });

  it("teams.list answers a first page in 2 (session, page with its total)", async () => {
    const trips = await countRoundTrips(async () => {
      await callOk(h.url, "query", "teams.list", {}, admin);
    });
    // At least the session lookup and the answer: a counter that sees nothing fails here.
    expect(trips).toBeGreaterThanOrEqual(2);
    expect(trips).toBeLessThanOrEqual(2);
  });
});
