/**
 * The browser tests' webhook receiver: a plain-http server on loopback (the e2e API runs
 * with GATEHOUSE_WEBHOOKS_ALLOW_HTTP=1) that answers 200 and writes each delivery's
 * `webhook-id` and body as one JSON line to a file, whose first line is its URL. A file for
 * the same reason as the mailbox: the server and Playwright processes share nothing else.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";

export const webhookReceiverFile = (port: number): string =>
  path.join(os.tmpdir(), `gatehouse-e2e-webhooks-${port}.jsonl`);

export async function startWebhookReceiver(port: number): Promise<{ close: () => Promise<void> }> {
  const file = webhookReceiverFile(port);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      fs.appendFileSync(
        file,
        `${JSON.stringify({ id: req.headers["webhook-id"], body: Buffer.concat(chunks).toString("utf8") })}\n`,
      );
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("receiver has no port");
  fs.writeFileSync(file, `${JSON.stringify({ url: `http://127.0.0.1:${address.port}/hooks` })}\n`);
  return { close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The receiver's URL and the `webhook-id`s it got so far. */
export function readWebhookReceiver(port: number): { url: string; ids: string[] } {
  const [head = "{}", ...lines] = fs
    .readFileSync(webhookReceiverFile(port), "utf8")
    .split("\n")
    .filter(Boolean);
  return {
    url: (JSON.parse(head) as { url: string }).url,
    ids: lines.map((l) => (JSON.parse(l) as { id: string }).id),
  };
}
