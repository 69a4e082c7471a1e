/**
 * Looking at the database from a test: lock waiters (to order concurrent transactions),
 * an audit insert refused on purpose (to prove a change and its event share a
 * transaction), and round trips counted on the wire.
 */
import pg from "pg";
import { expect } from "vitest";
import type { TestDatabase } from "@gatehouse/db/testing";

/**
 * Resolves once `count` sessions of this database wait on a lock. On PGlite this returns at
 * once: its socket server runs one transaction at a time, so a second transaction simply
 * queues (and a query from another connection would itself queue behind the holder).
 */
export async function waitForLockWaiters(
  db: TestDatabase,
  count = 1,
  timeoutMs = 10_000,
): Promise<void> {
  if (db.backend === "pglite") return;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if ((rows[0]?.n ?? 0) >= count) return;
    if (Date.now() > deadline) throw new Error(`no ${count} lock waiter(s) within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A promise and its resolver: a barrier a test opens when it is ready. */
export function barrier(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/**
 * Runs `run` while the database refuses to record audit events with this action (a
 * trigger raising an error), then removes the trigger. A mutation whose change survives
 * the refusal did not write its event in the same transaction as the change.
 */
export async function withAuditRefused(
  db: TestDatabase,
  action: string,
  run: () => Promise<void>,
): Promise<void> {
  if (!/^[A-Za-z.]+$/.test(action)) throw new Error(`unexpected audit action ${action}`);
  await db.pool
    .query(`CREATE OR REPLACE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'audit refused by test'; END $$`);
  await db.pool.query(`CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_events
    FOR EACH ROW WHEN (NEW.action = '${action}') EXECUTE FUNCTION test_refuse_audit()`);
  try {
    await run();
  } finally {
    await db.pool.query(`DROP TRIGGER test_refuse_audit ON audit_events`);
  }
}

/**
 * Round trips made while `fn` runs, counted on the wire: each simple query message and each
 * Sync (the end of an extended-protocol query: Parse/Bind/Execute) is one round trip.
 * Counted at pg's Connection, below the pool: a pooled client's `query` is wrapped when it
 * connects (client.ts guardPooledClient), so patching Client#query missed every query on
 * a client connected before the count began, and counted nothing.
 */
export async function countRoundTrips(fn: () => Promise<unknown>): Promise<number> {
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

/** The details of the latest audit event with this action on this target (there must be one). */
export async function auditDetails(
  db: TestDatabase,
  action: string,
  targetId: string,
): Promise<Record<string, unknown>> {
  const events = await db.prisma.auditEvent.findMany({
    where: { action, targetId },
    orderBy: { createdAt: "desc" },
  });
  expect(events.length, `${action} event for ${targetId}`).toBeGreaterThan(0);
  return events[0]!.details as Record<string, unknown>;
}
