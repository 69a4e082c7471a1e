/**
 * The worker's side of a mail: reading one to send, and recording what became of it.
 * Each record is a conditional update on a QUEUED row, so a job run again (a worker died
 * after sending, its lease expired) finds the mail settled and does not send it twice.
 */
import type { MailStatus, MailTransportKind } from "@gatehouse/core";
import type { Database } from "../client.ts";
import type { Tx } from "../transaction.ts";

/** A mail as the sender needs it; bodies are null once cleared. */
export interface MailToSend {
  id: string;
  purpose: string;
  to: string;
  subject: string;
  text: string | null;
  html: string | null;
  status: MailStatus;
  attempts: number;
}

export async function mailToSend(
  db: Pick<Database, "prisma">,
  mailId: string,
): Promise<MailToSend | null> {
  const row = await db.prisma.mail.findUnique({
    where: { id: mailId },
    select: {
      id: true,
      purpose: true,
      toAddress: true,
      subject: true,
      textBody: true,
      htmlBody: true,
      status: true,
      attempts: true,
    },
  });
  if (!row) return null;
  return {
    id: row.id,
    purpose: row.purpose,
    to: row.toAddress,
    subject: row.subject,
    text: row.textBody,
    html: row.htmlBody,
    status: row.status,
    attempts: row.attempts,
  };
}

/**
 * The mail left: SENT over SMTP (bodies cleared: the server has them now, and a token
 * must not stay at rest in clear) or OUTBOX (bodies kept: the outbox is where they are
 * read). Counts the attempt. False when the mail was no longer QUEUED (already settled).
 */
export async function markMailDelivered(
  tx: Tx,
  mailId: string,
  outcome: { transport: MailTransportKind; messageId: string | null; at: Date },
): Promise<boolean> {
  const smtp = outcome.transport === "smtp";
  const { count } = await tx.mail.updateMany({
    where: { id: mailId, status: "QUEUED" },
    data: {
      status: smtp ? "SENT" : "OUTBOX",
      transport: outcome.transport,
      messageId: outcome.messageId,
      sentAt: outcome.at,
      attempts: { increment: 1 },
      lastError: null,
      ...(smtp ? { textBody: null, htmlBody: null } : {}),
    },
  });
  return count > 0;
}

/**
 * A failed attempt: counted, with its error (never a body: callers pass the transport's
 * message). `final`: out of attempts, the mail is FAILED (its bodies cleared: it will not
 * be sent, and they may hold a token). False when the mail was no longer QUEUED.
 */
export async function recordMailFailure(
  tx: Tx,
  mailId: string,
  failure: { error: string; final: boolean },
): Promise<boolean> {
  const { count } = await tx.mail.updateMany({
    where: { id: mailId, status: "QUEUED" },
    data: {
      attempts: { increment: 1 },
      lastError: failure.error.slice(0, 2000),
      ...(failure.final ? { status: "FAILED", textBody: null, htmlBody: null } : {}),
    },
  });
  return count > 0;
}
