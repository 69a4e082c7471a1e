/**
 * A Standard Webhooks receiver on loopback, for webhook delivery tests: it records every
 * POST and checks its signature with the `standardwebhooks` library against each secret it
 * is told (`verifiedWith`), as a real receiver would. What it answers is programmable:
 * `answer(...)` queues status codes (or "hang": no answer until close) for the next
 * requests; 200 otherwise. Waiting is on events: `waitFor` resolves when a matching request
 * arrives (or has arrived already).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  /** The parsed body. */
  payload: {
    id: string;
    type: string;
    timestamp: string;
    organizationId: string | null;
    data: Record<string, unknown>;
  };
  /** What this request was answered (null: left hanging). */
  answered: number | null;
  path: string;
}

export type Answer = number | "hang";

export interface WebhookReceiver {
  url: string;
  requests: ReceivedWebhook[];
  /** The next requests get these answers, in order. */
  answer(...answers: Answer[]): void;
  /** Whether `Webhook.verify` with `secret` accepts the request. */
  verifiedWith(request: ReceivedWebhook, secret: string): boolean;
  waitFor(predicate: (request: ReceivedWebhook) => boolean): Promise<ReceivedWebhook>;
  /** Resolves once `count` requests have arrived. */
  waitForCount(count: number): Promise<void>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const requests: ReceivedWebhook[] = [];
  const queued: Answer[] = [];
  const hanging: http.ServerResponse[] = [];
  let waiters: Array<() => void> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const answer = queued.shift() ?? 200;
      const request: ReceivedWebhook = {
        id: String(req.headers["webhook-id"] ?? ""),
        timestamp: String(req.headers["webhook-timestamp"] ?? ""),
        signature: String(req.headers["webhook-signature"] ?? ""),
        body,
        payload: JSON.parse(body) as ReceivedWebhook["payload"],
        answered: answer === "hang" ? null : answer,
        path: req.url ?? "/",
      };
      requests.push(request);
      if (answer === "hang") hanging.push(res);
      else
        res
          .writeHead(
            answer,
            answer >= 300 && answer < 400 ? { location: "http://127.0.0.1:1/elsewhere" } : {},
          )
          .end("ok");
      const current = waiters;
      waiters = [];
      for (const wake of current) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const until = (done: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (done()) resolve();
        else waiters.push(check);
      };
      check();
    });
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answer: (...answers) => queued.push(...answers),
    verifiedWith(request, secret) {
      try {
        new Webhook(secret).verify(request.body, {
          "webhook-id": request.id,
          "webhook-timestamp": request.timestamp,
          "webhook-signature": request.signature,
        });
        return true;
      } catch {
        return false;
      }
    },
    async waitFor(predicate) {
      await until(() => requests.some(predicate));
      return requests.find(predicate)!;
    },
    waitForCount: (count) => until(() => requests.length >= count),
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
