/**
 * Webhook deliveries end to end over real HTTP: the API creates endpoints, events go
 * through the dispatch and the durable queue, and a loopback receiver verifies every
 * signature with the `standardwebhooks` library. Retries keep the event's id; a restart
 * mid-delivery loses nothing; a rotation signs with both secrets for its overlap; an
 * endpoint failing for good is disabled, audited and its owners mailed.
 */
import crypto from "node:crypto";
import { eventId, type EventEnvelope } from "@gatehouse/core";
import { emitEvents, transaction } from "@gatehouse/db";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Credentials } from "../support/http.ts";
import * as fx from "../support/fixtures.ts";
import { drainUntilDone, startHarness, type WorkerHarness } from "../support/harness.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhook-receiver.ts";

let h: WorkerHarness;
let receiver: WebhookReceiver;
let orgId: string;
let otherOrgId: string;
let admin: Credentials;
let adminEmail: string;

beforeAll(async () => {
  h = await startHarness({
    env: { GATEHOUSE_WEBHOOKS_ALLOW_HTTP: "1" },
    config: { secretsKey: crypto.randomBytes(32) },
    worker: { webhooks: { allowHttp: true, timeoutMs: 1_500, connectTimeoutMs: 1_000 } },
  });
  receiver = await startWebhookReceiver();
  orgId = await fx.insertOrganization(h.db, "Webhooks Org");
  otherOrgId = await fx.insertOrganization(h.db, "Other Org");
  const person = fx.people(h, "webhooks.example.com");
  const a = await person("admin");
  await fx.addOrgMember(h.db, orgId, a.id, "ORG_ADMIN");
  admin = a.creds;
  adminEmail = a.email;
}, 60_000);

afterAll(async () => {
  await receiver?.close();
  await h?.close();
});

async function createEndpoint(
  path: string,
  eventTypes: string[],
): Promise<{ id: string; secret: string }> {
  return h.mutationOk(
    "webhooks.create",
    { organizationId: orgId, url: `${receiver.url}${path}`, eventTypes },
    admin,
  );
}

function blockedEvent(organizationId: string): EventEnvelope<"team.blocked"> {
  const teamId = crypto.randomUUID();
  return {
    id: eventId("team.blocked", [teamId, Date.now()]),
    type: "team.blocked",
    timestamp: new Date().toISOString(),
    organizationId,
    teamId,
    data: { teamId, reason: "manual", note: null },
  };
}

async function emit(event: EventEnvelope): Promise<void> {
  await transaction(h.db, (tx) => emitEvents(tx, [event]));
  h.worker.nudge();
}

interface Log {
  items: Array<{
    eventId: string;
    statusCode: number | null;
    error: string | null;
    deliveryStatus: string;
    deliveryAttempts: number;
  }>;
  nextCursor: string | null;
}
const logOf = (webhookId: string, cursor?: string) =>
  h.queryOk<Log>("webhooks.deliveries", { webhookId, ...(cursor ? { cursor } : {}) }, admin);

describe("delivery", () => {
  it("delivers a subscribed event, signed so standardwebhooks verifies it; never another organization's", async () => {
    const endpoint = await createEndpoint("/created", ["team.blocked"]);
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const listed = await h.queryOk<{ items: unknown[] }>(
      "webhooks.list",
      { organizationId: orgId },
      admin,
    );
    expect(JSON.stringify(listed)).not.toContain(endpoint.secret.slice(6));

    const other = blockedEvent(otherOrgId);
    await emit(other);
    const event = blockedEvent(orgId);
    await emit(event);
    const got = await receiver.waitFor((r) => r.id === event.id);
    expect(receiver.verifiedWith(got, endpoint.secret)).toBe(true);
    expect(got.path).toBe("/created");
    expect(got.payload).toEqual({
      id: event.id,
      type: "team.blocked",
      timestamp: event.timestamp,
      organizationId: orgId,
      data: event.data,
    });
    await drainUntilDone(h);
    expect(receiver.requests.some((r) => r.id === other.id)).toBe(false);
    const log = await logOf(endpoint.id);
    expect(log.items).toMatchObject([
      { eventId: event.id, statusCode: 200, deliveryStatus: "DELIVERED" },
    ]);
  });

  it("a receiver answering 500 then 200 gets the same webhook-id twice, and the log shows both", async () => {
    const endpoint = await createEndpoint("/retry", ["team.unblocked"]);
    receiver.answer(500);
    const teamId = crypto.randomUUID();
    const event: EventEnvelope = {
      id: eventId("team.unblocked", [teamId, 1]),
      type: "team.unblocked",
      timestamp: new Date().toISOString(),
      organizationId: orgId,
      teamId,
      data: { teamId, reason: "manual" },
    };
    await emit(event);
    await drainUntilDone(h);
    const got = receiver.requests.filter((r) => r.path === "/retry");
    expect(got.map((r) => [r.id, r.answered])).toEqual([
      [event.id, 500],
      [event.id, 200],
    ]);
    for (const r of got) expect(receiver.verifiedWith(r, endpoint.secret)).toBe(true);
    const log = await logOf(endpoint.id);
    expect(log.items.map((i) => [i.eventId, i.statusCode])).toEqual([
      [event.id, 200],
      [event.id, 500],
    ]);
    expect(log.items[0]).toMatchObject({ deliveryStatus: "DELIVERED", deliveryAttempts: 2 });
  });

  it("sendTest goes through the queue to that endpoint only, with a new id per call", async () => {
    const endpoint = await createEndpoint("/test-a", ["test"]);
    await createEndpoint("/test-b", ["test"]);
    const first = await h.mutationOk<{ eventId: string }>(
      "webhooks.sendTest",
      { webhookId: endpoint.id },
      admin,
    );
    const second = await h.mutationOk<{ eventId: string }>(
      "webhooks.sendTest",
      { webhookId: endpoint.id },
      admin,
    );
    expect(first.eventId).not.toBe(second.eventId);
    await drainUntilDone(h);
    const got = receiver.requests.filter((r) => r.payload.type === "test");
    expect(got.map((r) => r.path)).toEqual(["/test-a", "/test-a"]);
    expect(got.map((r) => r.id).sort()).toEqual([first.eventId, second.eventId].sort());
    expect(got[0]!.payload.data).toMatchObject({ webhookId: endpoint.id });
    const page1 = await h.queryOk<Log>(
      "webhooks.deliveries",
      { webhookId: endpoint.id, limit: 1 },
      admin,
    );
    expect(page1.items).toHaveLength(1);
    const page2 = await h.queryOk<Log>(
      "webhooks.deliveries",
      { webhookId: endpoint.id, limit: 1, cursor: page1.nextCursor },
      admin,
    );
    expect(page2.items).toHaveLength(1);
    expect(page2.items[0]!.eventId).not.toBe(page1.items[0]!.eventId);
    expect(page2.nextCursor).toBeNull();
  });

  it("a worker restarted mid-delivery loses nothing: the POST is made again with the same id", async () => {
    const endpoint = await createEndpoint("/restart", ["key.blocked"]);
    receiver.answer("hang");
    const teamId = crypto.randomUUID();
    const keyId = crypto.randomUUID();
    const event: EventEnvelope = {
      id: eventId("key.blocked", [keyId, 1]),
      type: "key.blocked",
      timestamp: new Date().toISOString(),
      organizationId: orgId,
      teamId,
      data: { teamId, keyId, keyName: "k", reason: "manual", note: null },
    };
    await emit(event);
    await receiver.waitFor((r) => r.path === "/restart");
    await h.stopWorker();
    // Queued while no worker runs: waits in the queue.
    const later = blockedEvent(orgId);
    await transaction(h.db, (tx) => emitEvents(tx, [later]));
    h.startWorker();
    await drainUntilDone(h);
    const got = receiver.requests.filter((r) => r.path === "/restart");
    expect(got.map((r) => [r.id, r.answered])).toEqual([
      [event.id, null],
      [event.id, 200],
    ]);
    const log = await logOf(endpoint.id);
    expect(log.items.map((i) => i.statusCode)).toEqual([200, null]);
    expect(receiver.requests.some((r) => r.id === later.id && r.path === "/created")).toBe(true);
  });

  it("never more than two POSTs in flight per endpoint", async () => {
    const endpoint = await createEndpoint("/cap", ["product.lapsed"]);
    receiver.answer("hang", "hang");
    const events = [1, 2, 3].map((n): EventEnvelope => {
      const teamId = crypto.randomUUID();
      return {
        id: eventId("product.lapsed", [teamId, n]),
        type: "product.lapsed",
        timestamp: new Date().toISOString(),
        organizationId: orgId,
        teamId,
        data: {
          teamId,
          productId: crypto.randomUUID(),
          productName: "P",
          lapsedAt: new Date().toISOString(),
        },
      };
    });
    await transaction(h.db, (tx) => emitEvents(tx, events));
    h.worker.nudge();
    await vi.waitFor(
      async () => {
        const { rows } = await h.db.pool.query(
          `SELECT 1 FROM jobs WHERE kind = 'webhooks.deliver' AND last_error LIKE '%in-flight cap%'`,
        );
        expect(rows.length).toBeGreaterThan(0);
      },
      { timeout: 10_000, interval: 20 },
    );
    expect(receiver.requests.filter((r) => r.path === "/cap")).toHaveLength(2);
    await drainUntilDone(h);
    const delivered = new Set(
      receiver.requests.filter((r) => r.path === "/cap" && r.answered === 200).map((r) => r.id),
    );
    expect(delivered).toEqual(new Set(events.map((e) => e.id)));
    expect((await logOf(endpoint.id)).items.length).toBeGreaterThanOrEqual(3);
  });

  it("a redirect is a failure and is not followed", async () => {
    const endpoint = await createEndpoint("/redirect", ["budget.forecast"]);
    receiver.answer(302);
    const teamId = crypto.randomUUID();
    const event: EventEnvelope = {
      id: eventId("budget.forecast", [teamId, 1]),
      type: "budget.forecast",
      timestamp: new Date().toISOString(),
      organizationId: orgId,
      teamId,
      data: {
        teamId,
        regionId: null,
        spendUsd: 1,
        budgetUsd: 2,
        dailyRateUsd: 1,
        exhaustedOn: "2026-12-31",
        periodResetAt: null,
      },
    };
    await emit(event);
    await receiver.waitFor((r) => r.path === "/redirect");
    await h.drain();
    const log = await logOf(endpoint.id);
    expect(log.items[0]).toMatchObject({ statusCode: 302, deliveryStatus: "PENDING" });
    expect(log.items[0]!.error).toMatch(/redirect/);
    expect(receiver.requests.filter((r) => r.path === "/elsewhere")).toHaveLength(0);
  });
});

describe("secret rotation", () => {
  it("signs with the old and the new secret during the overlap, only the new one after", async () => {
    const endpoint = await createEndpoint("/rotate", ["team.expiry_warning"]);
    const rotated = await h.mutationOk<{ secret: string; previousSecretExpiresAt: string }>(
      "webhooks.rotateSecret",
      { webhookId: endpoint.id },
      admin,
    );
    expect(rotated.secret).not.toBe(endpoint.secret);
    expect(new Date(rotated.previousSecretExpiresAt).getTime()).toBe(
      h.clock.now().getTime() + 24 * 3_600_000,
    );
    const warning = (days: number): EventEnvelope => {
      const teamId = crypto.randomUUID();
      return {
        id: eventId("team.expiry_warning", [teamId, days]),
        type: "team.expiry_warning",
        timestamp: new Date().toISOString(),
        organizationId: orgId,
        teamId,
        data: { teamId, daysLeft: days, expiresAt: new Date().toISOString() },
      };
    };
    const during = warning(7);
    await emit(during);
    const a = await receiver.waitFor((r) => r.id === during.id);
    expect(a.signature.split(" ")).toHaveLength(2);
    expect(receiver.verifiedWith(a, endpoint.secret)).toBe(true);
    expect(receiver.verifiedWith(a, rotated.secret)).toBe(true);

    // The overlap's end (a day later): the old secret no longer signs.
    await h.db.pool.query(`UPDATE webhooks SET previous_secret_expires_at = $2 WHERE id = $1`, [
      endpoint.id,
      new Date(h.clock.now().getTime() - 1),
    ]);
    const after = warning(1);
    await emit(after);
    const b = await receiver.waitFor((r) => r.id === after.id);
    expect(b.signature.split(" ")).toHaveLength(1);
    expect(receiver.verifiedWith(b, rotated.secret)).toBe(true);
    expect(receiver.verifiedWith(b, endpoint.secret)).toBe(false);
  });
});

describe("sustained failure", () => {
  it("disables the endpoint once a delivery runs out of attempts, audits it and mails its admins; update re-enables it", async () => {
    const endpoint = await createEndpoint("/down", ["region.drift", "team.blocked"]);
    receiver.answer(...Array.from({ length: 8 }, () => 503));
    const event = blockedEvent(orgId);
    await emit(event);
    await drainUntilDone(h, 30);
    const got = receiver.requests.filter((r) => r.path === "/down");
    expect(got).toHaveLength(8);
    expect(new Set(got.map((r) => r.id))).toEqual(new Set([event.id]));
    const listed = await h.queryOk<{
      items: Array<{ id: string; enabled: boolean; disabledReason: string | null }>;
    }>("webhooks.list", { organizationId: orgId }, admin);
    const row = listed.items.find((w) => w.id === endpoint.id)!;
    expect(row.enabled).toBe(false);
    expect(row.disabledReason).toMatch(/8 times/);
    const log = await logOf(endpoint.id);
    expect(log.items[0]).toMatchObject({
      deliveryStatus: "FAILED",
      deliveryAttempts: 8,
      statusCode: 503,
    });
    const audit = await h.db.prisma.auditEvent.findMany({
      where: { targetId: endpoint.id, action: "webhook.disable" },
    });
    expect(audit).toHaveLength(1);
    const mails = await h.db.prisma.mail.findMany({ where: { purpose: "webhook_disabled" } });
    expect(mails.map((m) => m.toAddress)).toEqual([adminEmail]);

    // Disabled: a new event is not queued for it.
    const next = blockedEvent(orgId);
    await emit(next);
    await drainUntilDone(h);
    expect(receiver.requests.some((r) => r.path === "/down" && r.id === next.id)).toBe(false);

    const enabled = await h.mutationOk<{ enabled: boolean; consecutiveFailures: number }>(
      "webhooks.update",
      { webhookId: endpoint.id, enabled: true },
      admin,
    );
    expect(enabled).toMatchObject({ enabled: true, consecutiveFailures: 0 });
  });
});
