/**
 * Webhook fan-out and the per-endpoint in-flight cap, on both backends: an event reaches
 * its organization's enabled endpoints subscribed to its type and the global ones, once
 * per (endpoint, event); an operations event only global ones; a test event only the
 * endpoint it names. Each delivery gets one job naming only its id.
 */
import crypto from "node:crypto";
import { eventId, type EventEnvelope } from "@gatehouse/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queueWebhookDeliveries, startWebhookAttempt } from "../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/index.ts";

let db: TestDatabase;
let orgA: string;
let orgB: string;
const hooks: Record<string, string> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  orgA = (await db.prisma.organization.create({ data: { name: "A" } })).id;
  orgB = (await db.prisma.organization.create({ data: { name: "B" } })).id;
  const make = async (
    name: string,
    organizationId: string | null,
    eventTypes: string[],
    enabled = true,
  ) => {
    hooks[name] = (
      await db.prisma.webhook.create({
        data: {
          organizationId,
          url: `https://${name}.example.com/`,
          eventTypes,
          secretSealed: "v1.a.b.c",
          enabled,
        },
      })
    ).id;
  };
  await make("aBlocked", orgA, ["team.blocked"]);
  await make("aOther", orgA, ["budget.threshold"]);
  await make("aDisabled", orgA, ["team.blocked"], false);
  await make("bBlocked", orgB, ["team.blocked"]);
  await make("globalBlocked", null, ["team.blocked", "jobs.failing"]);
  await make("aTest", orgA, ["test"]);
});
afterAll(() => db?.close());

const blocked = (organizationId: string): EventEnvelope => {
  const teamId = crypto.randomUUID();
  return {
    id: eventId("team.blocked", [teamId, 1]),
    type: "team.blocked",
    timestamp: new Date().toISOString(),
    organizationId,
    teamId,
    data: { teamId, reason: "manual", note: null },
  };
};

async function targets(event: EventEnvelope): Promise<string[]> {
  const rows = await db.prisma.webhookDelivery.findMany({
    where: { eventId: event.id },
    select: { webhookId: true },
  });
  const names = Object.fromEntries(Object.entries(hooks).map(([k, v]) => [v, k]));
  return rows.map((r) => names[r.webhookId]!).sort();
}

describe("queueWebhookDeliveries", () => {
  it("queues the organization's subscribed enabled endpoints and the global ones, once", async () => {
    const event = blocked(orgA);
    expect(await db.prisma.$transaction((tx) => queueWebhookDeliveries(tx, event))).toBe(2);
    expect(await db.prisma.$transaction((tx) => queueWebhookDeliveries(tx, event))).toBe(0);
    expect(await targets(event)).toEqual(["aBlocked", "globalBlocked"]);
    const deliveries = await db.prisma.webhookDelivery.findMany({ where: { eventId: event.id } });
    const jobs = await db.prisma.job.findMany({ where: { kind: "webhooks.deliver" } });
    for (const d of deliveries) {
      expect(
        jobs.filter((j) => JSON.stringify(j.payload) === JSON.stringify({ deliveryId: d.id })),
      ).toHaveLength(1);
      expect(JSON.parse(d.payload)).toEqual({
        id: event.id,
        type: event.type,
        timestamp: event.timestamp,
        organizationId: orgA,
        data: event.data,
      });
    }
  });

  it("an operations event reaches global endpoints only; a test event only its endpoint", async () => {
    const ops: EventEnvelope = {
      id: eventId("jobs.failing", [1]),
      type: "jobs.failing",
      timestamp: new Date().toISOString(),
      organizationId: null,
      teamId: null,
      data: { failedJobs: 3, oldestPendingSeconds: 10, regionId: null },
    };
    await db.prisma.$transaction((tx) => queueWebhookDeliveries(tx, ops));
    expect(await targets(ops)).toEqual(["globalBlocked"]);
    const test: EventEnvelope = {
      id: eventId("test", [hooks.aTest!, crypto.randomUUID()]),
      type: "test",
      timestamp: new Date().toISOString(),
      organizationId: orgA,
      teamId: null,
      data: { message: "hi", webhookId: hooks.aBlocked! },
    };
    await db.prisma.$transaction((tx) => queueWebhookDeliveries(tx, test));
    expect(await targets(test)).toEqual(["aBlocked"]);
  });
});

describe("startWebhookAttempt", () => {
  it("lets at most maxInFlight deliveries of one endpoint go at once", async () => {
    const events = [blocked(orgB), blocked(orgB), blocked(orgB)];
    for (const e of events) await db.prisma.$transaction((tx) => queueWebhookDeliveries(tx, e));
    const ids = (
      await db.prisma.webhookDelivery.findMany({
        where: { webhookId: hooks.bBlocked!, eventId: { in: events.map((e) => e.id) } },
        orderBy: { createdAt: "asc" },
      })
    ).map((d) => d.id);
    const now = new Date();
    const lease = { now, leaseUntil: new Date(now.getTime() + 60_000), maxInFlight: 2 };
    const outcomes = [];
    for (const id of ids)
      outcomes.push(
        (await db.prisma.$transaction((tx) => startWebhookAttempt(tx, id, lease))).outcome,
      );
    expect(outcomes).toEqual(["go", "go", "busy"]);
    // A lease that passed frees its slot (its worker died).
    const later = {
      ...lease,
      now: new Date(now.getTime() + 61_000),
      leaseUntil: new Date(now.getTime() + 120_000),
    };
    expect(
      (await db.prisma.$transaction((tx) => startWebhookAttempt(tx, ids[2]!, later))).outcome,
    ).toBe("go");
  });
});
