/**
 * No server-side request forgery through a webhook URL: a URL naming a private, link-local,
 * metadata or (without GATEHOUSE_WEBHOOKS_ALLOW_HTTP) loopback address is refused at
 * creation; a name resolving to one is refused at delivery, through an injected resolver,
 * and no socket is opened off loopback (every connect is watched).
 */
import crypto from "node:crypto";
import net from "node:net";
import { eventId, type EventEnvelope } from "@gatehouse/core";
import { emitEvents, transaction } from "@gatehouse/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Credentials } from "../support/http.ts";
import * as fx from "../support/fixtures.ts";
import { startHarness, type WorkerHarness } from "../support/harness.ts";

const RESOLVES: Record<string, string[]> = {
  "private.hooks.test": ["10.0.0.5"],
  "metadata.hooks.test": ["169.254.169.254"],
  "aws-v6.hooks.test": ["fd00:ec2::254"],
  "mapped.hooks.test": ["::ffff:192.168.1.10"],
  "mixed.hooks.test": ["93.184.216.34", "172.16.0.9"],
  "loopback.hooks.test": ["127.0.0.1"],
};

const resolved: string[] = [];
const offLoopback: string[] = [];
const originalConnect = net.Socket.prototype.connect;

let h: WorkerHarness;
let orgId: string;
let admin: Credentials;

beforeAll(async () => {
  // Every connection any part of this process opens: none may leave loopback.
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    const first = args[0] as { host?: string; path?: string } | number | string | undefined;
    const host =
      typeof first === "object" && first !== null
        ? first.host
        : typeof args[1] === "string"
          ? args[1]
          : undefined;
    const path = typeof first === "object" && first !== null ? first.path : undefined;
    if (!path && host && !["127.0.0.1", "::1", "localhost"].includes(host)) offLoopback.push(host);
    return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;
  h = await startHarness({
    config: { secretsKey: crypto.randomBytes(32) },
    worker: {
      webhooks: {
        allowHttp: false,
        resolve: async (host) => {
          resolved.push(host);
          const addresses = RESOLVES[host];
          if (!addresses) throw new Error(`no such host ${host}`);
          return addresses;
        },
      },
    },
  });
  orgId = await fx.insertOrganization(h.db, "SSRF Org");
  const person = fx.people(h, "ssrf.example.com");
  const a = await person("admin");
  await fx.addOrgMember(h.db, orgId, a.id, "ORG_ADMIN");
  admin = a.creds;
}, 60_000);

afterAll(async () => {
  net.Socket.prototype.connect = originalConnect;
  await h?.close();
});

describe("at creation", () => {
  it.each([
    "https://10.1.2.3/hook",
    "https://192.168.0.1/hook",
    "https://169.254.169.254/latest/meta-data/",
    "https://[fd00:ec2::254]/",
    "https://[fe80::1]/",
    "https://[::ffff:169.254.169.254]/",
    "https://127.0.0.1/hook",
    "https://localhost/hook",
    "http://hooks.example.com/hook",
    "http://127.0.0.1:8080/hook",
    "https://user:pw@hooks.example.com/",
  ])("refuses %s with a field error, and creates nothing", async (url) => {
    const res = await h.mutation(
      "webhooks.create",
      { organizationId: orgId, url, eventTypes: ["test"] },
      { credentials: admin },
    );
    expect(res.status).toBe(400);
    expect(Object.keys(res.error?.data.fieldErrors ?? {})).toEqual(["url"]);
    expect(await h.db.prisma.webhook.count({ where: { url } })).toBe(0);
  });

  it("refuses the same on update", async () => {
    const created = await h.mutationOk<{ id: string }>(
      "webhooks.create",
      { organizationId: orgId, url: "https://hooks.example.com/ok", eventTypes: ["test"] },
      admin,
    );
    const res = await h.mutation(
      "webhooks.update",
      { webhookId: created.id, url: "https://169.254.169.254/" },
      { credentials: admin },
    );
    expect(res.status).toBe(400);
    await h.mutationOk("webhooks.delete", { webhookId: created.id }, admin);
  });
});

describe("at delivery", () => {
  it("refuses names resolving to private, link-local, metadata and loopback addresses, and literal ones stored earlier, opening no socket", async () => {
    const hosts = Object.keys(RESOLVES);
    const ids: string[] = [];
    for (const host of hosts) {
      const { id } = await h.mutationOk<{ id: string }>(
        "webhooks.create",
        { organizationId: orgId, url: `https://${host}/hook`, eventTypes: ["team.blocked"] },
        admin,
      );
      ids.push(id);
    }
    // Written before a policy change, say: the delivery checks it again.
    const literal = await h.db.prisma.webhook.create({
      data: {
        organizationId: orgId,
        url: "https://169.254.169.254/",
        eventTypes: ["team.blocked"],
        secretSealed: "v1.a.b.c",
      },
      select: { id: true },
    });
    ids.push(literal.id);
    const teamId = crypto.randomUUID();
    const event: EventEnvelope = {
      id: eventId("team.blocked", [teamId, 1]),
      type: "team.blocked",
      timestamp: new Date().toISOString(),
      organizationId: orgId,
      teamId,
      data: { teamId, reason: "manual", note: null },
    };
    const before = offLoopback.length;
    await transaction(h.db, (tx) => emitEvents(tx, [event]));
    h.worker.nudge();
    await h.drain();
    expect(resolved.sort()).toEqual([...hosts].sort());
    for (const id of ids) {
      const log = await h.queryOk<{
        items: Array<{ statusCode: number | null; error: string | null }>;
      }>("webhooks.deliveries", { webhookId: id }, admin);
      expect(log.items).toHaveLength(1);
      expect(log.items[0]!.statusCode).toBeNull();
      expect(log.items[0]!.error).toMatch(/^refused/);
    }
    expect(offLoopback.slice(before)).toEqual([]);
  });
});
