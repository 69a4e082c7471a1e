/**
 * A real SMTP server on loopback (smtp-server) that parses what it receives (mailparser),
 * for tests of mail over SMTP. No TLS (loopback), authentication optional. Waiting is on
 * events: `waitFor` resolves when a matching message arrives (or has arrived already).
 * `refuseNext(n)` makes the next n messages fail with a transient 451 at DATA, as a busy
 * server would: the sender must retry.
 */
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export type { ParsedMail };

export interface SmtpReceiver {
  /** `smtp://127.0.0.1:<port>`, for GATEHOUSE_SMTP_URL. */
  url: string;
  /** Every message accepted so far, in arrival order. */
  messages: ParsedMail[];
  /** How many deliveries were refused (by refuseNext). */
  readonly refused: number;
  /** The first message (arrived or to come) that matches. */
  waitFor(predicate: (mail: ParsedMail) => boolean): Promise<ParsedMail>;
  /** Refuses the next `count` messages with a transient error (451) at DATA. */
  refuseNext(count?: number): void;
  close(): Promise<void>;
}

export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const messages: ParsedMail[] = [];
  let waiters: Array<{
    predicate: (mail: ParsedMail) => boolean;
    resolve: (m: ParsedMail) => void;
  }> = [];
  let toRefuse = 0;
  let refused = 0;

  const server = new SMTPServer({
    authOptional: true,
    // Loopback: no STARTTLS offered, so the client speaks plain SMTP.
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", (err) => callback(err));
      stream.on("end", () => {
        if (toRefuse > 0) {
          toRefuse--;
          refused++;
          const error = Object.assign(new Error("Try again later"), { responseCode: 451 });
          callback(error);
          return;
        }
        simpleParser(Buffer.concat(chunks))
          .then((mail) => {
            messages.push(mail);
            callback();
            const still: typeof waiters = [];
            for (const waiter of waiters) {
              if (waiter.predicate(mail)) waiter.resolve(mail);
              else still.push(waiter);
            }
            waiters = still;
          })
          .catch((err: Error) => callback(err));
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.server.address();
  if (address === null || typeof address === "string") throw new Error("SMTP receiver has no port");

  return {
    url: `smtp://127.0.0.1:${address.port}`,
    messages,
    get refused() {
      return refused;
    },
    waitFor(predicate) {
      const arrived = messages.find(predicate);
      if (arrived) return Promise.resolve(arrived);
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
    refuseNext(count = 1) {
      toRefuse += count;
    },
    close() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The address of a parsed mail's first To (or From) recipient. */
export function addressOf(field: ParsedMail["to"] | ParsedMail["from"]): string | undefined {
  const first = Array.isArray(field) ? field[0] : field;
  return first?.value[0]?.address;
}
