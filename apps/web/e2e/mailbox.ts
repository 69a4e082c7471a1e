/**
 * The browser tests' mailbox: a real SMTP receiver (smtp-server) on loopback that the e2e
 * API's worker sends to (GATEHOUSE_SMTP_URL), writing each received mail as one JSON line
 * to a file the specs read (`readMails`). A file, not an endpoint: the server process and
 * the Playwright process share nothing else, and the file needs no port.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
}

/** Where the e2e server on `port` keeps its received mails. */
export const mailboxFile = (port: number): string =>
  path.join(os.tmpdir(), `gatehouse-e2e-mailbox-${port}.jsonl`);

export async function startMailbox(
  port: number,
): Promise<{ url: string; close: () => Promise<void> }> {
  const file = mailboxFile(port);
  fs.writeFileSync(file, "");
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
          const received: ReceivedMail = {
            to: to?.value[0]?.address ?? "",
            subject: mail.subject ?? "",
            text: mail.text ?? "",
          };
          fs.appendFileSync(file, `${JSON.stringify(received)}\n`);
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.server.address();
  if (address === null || typeof address === "string") throw new Error("mailbox has no port");
  return {
    url: `smtp://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Every mail the e2e server on `port` received so far. */
export function readMails(port: number): ReceivedMail[] {
  const file = mailboxFile(port);
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ReceivedMail);
}
