/**
 * Where mail goes: over SMTP (GATEHOUSE_SMTP_URL) through one pooled nodemailer transport
 * per process (the worker's), or, without SMTP, into the local outbox (the mails table,
 * read by system admins at /outbox), so the demo works with no mail server.
 */
import nodemailer from "nodemailer";
import { publicUrlOf, type AppConfig } from "../config.ts";

/** One mail as it goes over the wire. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export type MailTransport =
  | {
      kind: "smtp";
      /** The server's host:port, for the log and the start-up line (never the credentials). */
      server: string;
      send(mail: OutgoingMail): Promise<{ messageId: string }>;
      close(): void;
    }
  | { kind: "outbox"; close(): void };

export interface MailSettings {
  /** Null: the local outbox. */
  smtpUrl: string | null;
  from: string;
}

/**
 * Bounds on one SMTP exchange: a server that accepts the connection and then hangs must
 * fail the attempt (the job retries later) rather than hold a worker slot forever. Well
 * under the worker's lease, so a slow send never outlives its claim.
 */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

/** The host:port of an SMTP URL (credentials left out). */
export function smtpServerOf(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  const port = url.port || (url.protocol === "smtps:" ? "465" : "587");
  return `${url.hostname}:${port}`;
}

export function createMailTransport(settings: MailSettings): MailTransport {
  if (!settings.smtpUrl) return { kind: "outbox", close() {} };
  // Pooled: mails of a burst (a batch of invitations) reuse a few connections instead of a
  // handshake each. `url` carries host, port, TLS (smtps:) and credentials.
  const transporter = nodemailer.createTransport(
    { url: settings.smtpUrl, pool: true, maxConnections: 3, ...SMTP_TIMEOUTS },
    { from: settings.from },
  );
  return {
    kind: "smtp",
    server: smtpServerOf(settings.smtpUrl),
    async send(mail) {
      const info = await transporter.sendMail({
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
      });
      return { messageId: String(info.messageId) };
    },
    close() {
      transporter.close();
    },
  };
}

/** The start-up line saying where mail goes (no password: only the server's host and port). */
export function mailDestinationLine(
  config: Pick<AppConfig, "mail" | "publicUrl" | "host" | "port">,
  /** The port the server got (config.port may be 0). */
  port = config.port,
): string {
  return config.mail.smtpUrl
    ? `Mail: SMTP ${smtpServerOf(config.mail.smtpUrl)}`
    : `Mail: local outbox at ${publicUrlOf(config, port).replace(/\/$/, "")}/outbox`;
}
