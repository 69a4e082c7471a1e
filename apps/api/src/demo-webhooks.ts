/**
 * Demo only: a small Standard Webhooks receiver on loopback (`config.demo.webhookPort`) and
 * Acme Corp's webhook endpoint pointing at it, so a newcomer sees signed events arrive
 * (budget alerts, expiry warnings, "send a test event") without running anything else.
 *
 * The receiver verifies every POST with the `standardwebhooks` library, as a real receiver
 * would, against the signing secret the demo made when it created the endpoint; it answers
 * 204 when the signature holds and 401 when it does not (the delivery log then shows the
 * failed attempt: what happens after rotating the secret in the UI, since this receiver
 * only knows the first one). `GET /` lists the last 50 events, newest first, as an HTML
 * table, or as JSON with `Accept: application/json` or `?format=json`.
 *
 * The secret lives in a file beside the demo credentials (mode 0600), so a restart verifies
 * with the same one; nothing leaves loopback.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { isOperationsEvent, EVENT_TYPES } from "@gatehouse/core";
import {
  findOrganizationIdByName,
  insertWebhook,
  listWebhooks,
  transaction,
  type Database,
} from "@gatehouse/db";
import { Webhook } from "standardwebhooks";
import type { AppConfig } from "./config.ts";
import { sealSecret, webhookSecretBinding } from "./secrets.ts";

const DEMO_WEBHOOK_ORGANIZATION = "Acme Corp";
const DEMO_WEBHOOK_DESCRIPTION = "Demo receiver (npm start)";
/** Events kept for `GET /`. */
const KEPT = 50;
/** A POST larger than this is refused unread: a demo receiver, not a sink. */
const MAX_BODY_BYTES = 1_000_000;

export interface ReceivedDemoEvent {
  receivedAt: string;
  /** `webhook-id`: the event id (the same on every retry). */
  id: string;
  type: string | null;
  verified: boolean;
  /** Why verification failed, when it did. */
  error: string | null;
  payload: unknown;
}

export interface DemoWebhookReceiver {
  url: string;
  port: number;
  /** Newest first, at most KEPT. */
  readonly events: readonly ReceivedDemoEvent[];
  close(): Promise<void>;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(events: readonly ReceivedDemoEvent[]): string {
  const rows = events
    .map(
      (e) =>
        `<tr><td>${escapeHtml(e.receivedAt)}</td><td>${escapeHtml(e.type ?? "(unreadable)")}</td>` +
        `<td><code>${escapeHtml(e.id)}</code></td>` +
        `<td>${e.verified ? "verified" : `<strong>not verified</strong>: ${escapeHtml(e.error ?? "")}`}</td>` +
        `<td><pre>${escapeHtml(JSON.stringify(e.payload, null, 2) ?? "")}</pre></td></tr>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Gatehouse demo webhook receiver</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;margin:1.5rem}table{border-collapse:collapse}
th,td{border:1px solid #888;padding:.3rem .5rem;text-align:left;vertical-align:top}pre{margin:0}</style>
</head><body><main>
<h1>Gatehouse demo webhook receiver</h1>
<p>Events Gatehouse delivered to this loopback receiver, newest first (the last ${KEPT}).
Signatures are checked with the <code>standardwebhooks</code> library. Reload to see new ones.</p>
${
  events.length === 0
    ? "<p>Nothing received yet. Send a test event from Acme Corp's webhook settings.</p>"
    : `<table><caption>Received events</caption><thead><tr><th scope="col">Received</th>` +
      `<th scope="col">Type</th><th scope="col">Event id</th><th scope="col">Signature</th>` +
      `<th scope="col">Body</th></tr></thead><tbody>\n${rows}\n</tbody></table>`
}
</main></body></html>`;
}

export async function startDemoWebhookReceiver(options: {
  port: number;
  secret: string;
}): Promise<DemoWebhookReceiver> {
  const verifier = new Webhook(options.secret);
  const events: ReceivedDemoEvent[] = [];
  const server = http.createServer((req, res) => {
    if (req.method === "GET") {
      const wantsJson =
        (req.url ?? "").includes("format=json") ||
        (req.headers.accept ?? "").includes("application/json");
      if (wantsJson) {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(events));
      } else {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page(events));
      }
      return;
    }
    if (req.method !== "POST") {
      res.writeHead(405, { allow: "GET, POST" }).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        res.writeHead(413).end();
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (res.writableEnded) return;
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = {
        "webhook-id": String(req.headers["webhook-id"] ?? ""),
        "webhook-timestamp": String(req.headers["webhook-timestamp"] ?? ""),
        "webhook-signature": String(req.headers["webhook-signature"] ?? ""),
      };
      let payload: unknown = body;
      let verified = false;
      let error: string | null = null;
      try {
        payload = verifier.verify(body, headers);
        verified = true;
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
        try {
          payload = JSON.parse(body);
        } catch {
          // Not JSON: shown as received.
        }
      }
      const type =
        payload !== null && typeof payload === "object" && "type" in payload
          ? String(payload.type)
          : null;
      events.unshift({
        receivedAt: new Date().toISOString(),
        id: headers["webhook-id"],
        type,
        verified,
        error,
        payload,
      });
      events.length = Math.min(events.length, KEPT);
      res.writeHead(verified ? 204 : 401).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    events,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The demo's signing secret: made once, kept in `file` (0600) for later starts. */
export function demoWebhookSecret(file: string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  const secret = `whsec_${crypto.randomBytes(32).toString("base64")}`;
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

export type DemoWebhookStart =
  | { started: true; receiver: DemoWebhookReceiver; created: boolean; secretFile: string }
  | { started: false; reason: string };

/**
 * Starts the receiver and gives Acme Corp an endpoint pointing at it (once: an endpoint
 * with that URL is left as the people using the demo changed it). Needs the operator key
 * that seals webhook secrets (the embedded mode makes one); without it, or with the port
 * taken, the demo runs without its receiver.
 */
export async function startDemoWebhooks(deps: {
  db: Database;
  config: Pick<AppConfig, "secretsKey" | "demo">;
  secretFile: string;
}): Promise<DemoWebhookStart> {
  const { db, config, secretFile } = deps;
  const secretsKey = config.secretsKey;
  if (!secretsKey) return { started: false, reason: "GATEHOUSE_SECRETS_KEY is unset" };
  const secret = demoWebhookSecret(secretFile);
  let receiver: DemoWebhookReceiver;
  try {
    receiver = await startDemoWebhookReceiver({ port: config.demo.webhookPort, secret });
  } catch (error) {
    return { started: false, reason: `the receiver could not listen: ${(error as Error).message}` };
  }
  const created = await transaction(db, async (tx) => {
    const organizationId = await findOrganizationIdByName(tx, DEMO_WEBHOOK_ORGANIZATION);
    if (!organizationId) return false;
    const existing = await listWebhooks(tx, { organizationId });
    if (existing.some((w) => w.url === receiver.url)) return false;
    const id = crypto.randomUUID();
    await insertWebhook(tx, {
      id,
      organizationId,
      url: receiver.url,
      eventTypes: EVENT_TYPES.filter((type) => !isOperationsEvent(type)),
      description: DEMO_WEBHOOK_DESCRIPTION,
      secretSealed: sealSecret(secretsKey, secret, webhookSecretBinding(id)),
    });
    return true;
  });
  return { started: true, receiver, created, secretFile };
}

/** The credentials file's line for the receiver. */
export function demoWebhookCredentialLine(url: string, secretFile: string): string {
  return `Webhook receiver  ${url}  (Acme Corp's demo endpoint; signing secret in ${secretFile}, verified with standardwebhooks)`;
}
