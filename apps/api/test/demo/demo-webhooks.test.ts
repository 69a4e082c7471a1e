/**
 * The demo's webhook receiver: `npm start` runs it on loopback and gives Acme Corp an
 * endpoint pointing at it. A test event sent from the API arrives signed, the receiver
 * verifies it with `standardwebhooks` and lists it at its URL (HTML and JSON); a forged one
 * is listed as not verified and refused. Real database, real worker, real HTTP on loopback.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoWebhooks, type DemoWebhookReceiver } from "../../src/demo-webhooks.ts";
import * as fx from "../support/fixtures.ts";
import { drainUntilDone, startHarness, type WorkerHarness } from "../support/harness.ts";
import type { Credentials } from "../support/http.ts";

let h: WorkerHarness;
let receiver: DemoWebhookReceiver;
let orgAdmin: Credentials;
let orgId: string;
let dir: string;
let secretFile: string;

beforeAll(async () => {
  h = await startHarness({
    config: { secretsKey: crypto.randomBytes(32) },
    worker: { webhooks: { allowHttp: true, timeoutMs: 5_000, connectTimeoutMs: 2_000 } },
  });
  orgId = await fx.insertOrganization(h.db, "Acme Corp");
  const person = fx.people(h, "demo-webhooks.example.com");
  const admin = await person("ada");
  await fx.addOrgMember(h.db, orgId, admin.id, "ORG_ADMIN");
  orgAdmin = admin.creds;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-demo-webhooks-"));
  secretFile = path.join(dir, "demo-webhook-secret.txt");
  const started = await startDemoWebhooks({
    db: h.db,
    config: { secretsKey: h.config.secretsKey, demo: { ...h.config.demo, webhookPort: 0 } },
    secretFile,
  });
  if (!started.started) throw new Error(started.reason);
  expect(started.created).toBe(true);
  receiver = started.receiver;
}, 60_000);

afterAll(async () => {
  await receiver?.close();
  await h?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

interface Endpoint {
  id: string;
  url: string;
  eventTypes: string[];
}

describe("the demo's webhook receiver", () => {
  it("Acme Corp has an endpoint at the receiver, made once, its secret kept beside the credentials", async () => {
    const list = await h.queryOk<{ items: Endpoint[] }>(
      "webhooks.list",
      { organizationId: orgId },
      orgAdmin,
    );
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ url: receiver.url });
    expect(list.items[0]!.eventTypes).toContain("budget.threshold");
    expect(list.items[0]!.eventTypes).toContain("team.expiry_warning");
    expect(fs.readFileSync(secretFile, "utf8")).toMatch(/^whsec_/);
    expect(fs.statSync(secretFile).mode & 0o077).toBe(0);
    // A restart (same port, same URL) adds no second endpoint and verifies with the same secret.
    const port = receiver.port;
    await receiver.close();
    const again = await startDemoWebhooks({
      db: h.db,
      config: { secretsKey: h.config.secretsKey, demo: { ...h.config.demo, webhookPort: port } },
      secretFile,
    });
    if (!again.started) throw new Error(again.reason);
    expect(again.created).toBe(false);
    receiver = again.receiver;
    const after = await h.queryOk<{ items: Endpoint[] }>(
      "webhooks.list",
      { organizationId: orgId },
      orgAdmin,
    );
    expect(after.items).toHaveLength(1);
  });

  it("a test event arrives verified and is listed at the receiver's URL", async () => {
    const list = await h.queryOk<{ items: Endpoint[] }>(
      "webhooks.list",
      { organizationId: orgId },
      orgAdmin,
    );
    const endpoint = list.items.find((w) => w.url === receiver.url)!;
    const { eventId } = await h.mutationOk<{ eventId: string }>(
      "webhooks.sendTest",
      { webhookId: endpoint.id },
      orgAdmin,
    );
    h.worker.nudge();
    await drainUntilDone(h);
    const got = receiver.events.find((e) => e.id === eventId);
    expect(got).toMatchObject({ type: "test", verified: true, error: null });

    const json = await fetch(`${receiver.url}?format=json`);
    expect(json.status).toBe(200);
    const listed = (await json.json()) as Array<{ id: string; verified: boolean }>;
    expect(listed[0]).toMatchObject({ id: eventId, verified: true });

    const html = await fetch(receiver.url);
    expect(html.headers.get("content-type")).toContain("text/html");
    const text = await html.text();
    expect(text).toContain("<caption>Received events</caption>");
    expect(text).toContain(eventId);
  });

  it("a forged POST is refused and listed as not verified", async () => {
    const res = await fetch(receiver.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "webhook-id": "msg_forged",
        "webhook-timestamp": String(Math.floor(Date.now() / 1000)),
        "webhook-signature": "v1,AAAA",
      },
      body: JSON.stringify({ id: "msg_forged", type: "test", data: {} }),
    });
    expect(res.status).toBe(401);
    expect(receiver.events[0]).toMatchObject({ id: "msg_forged", verified: false });
    const text = await (await fetch(receiver.url)).text();
    expect(text).toContain("not verified");
  });
});
