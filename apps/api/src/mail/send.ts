/**
 * The `mail.send` job: sends one queued mail and records what became of it, with its
 * audit event, in one transaction.
 * - Idempotent: a mail that is no longer QUEUED (a job run again after a crash that came
 *   after the send was recorded) is not sent again.
 * - SMTP: the bodies are cleared once the server took the mail (they may carry a
 *   single-use token, which should not stay at rest in clear); recipient, subject and
 *   status stay for the record. Outbox (no SMTP): the row is the delivery, bodies kept.
 * - A failed send records the attempt and its error on the row, then throws, so the queue
 *   retries it with backoff; the last attempt marks the mail FAILED and audits it.
 * Nothing here logs or records a body or a link (they may carry `token=`).
 */
import type { LocalJobPayload } from "@gatehouse/core";
import {
  mailToSend,
  markMailDelivered,
  recordMailFailure,
  transaction,
  type Database,
} from "@gatehouse/db";
import { writeAudit } from "../audit/write.ts";
import type { Clock } from "../clock.ts";
import type { Logger } from "../logger.ts";
import type { MailTransport } from "./transport.ts";

export interface SendMailDeps {
  db: Database;
  mail: MailTransport;
  log: Logger;
  clock: Clock;
}

/** The queue's view of this run: the attempt it is (claims count them), of how many. */
export interface JobAttempt {
  id: string;
  attempts: number;
  maxAttempts: number;
}

export async function sendQueuedMail(
  payload: LocalJobPayload<"mail.send">,
  job: JobAttempt,
  deps: SendMailDeps,
): Promise<string> {
  const { db, mail: transport, log, clock } = deps;
  const mail = await mailToSend(db, payload.mailId);
  if (mail === null) return "mail gone";
  if (mail.status !== "QUEUED") return `already ${mail.status.toLowerCase()}`;
  // The worker is the system: no actor; the job id ties the events to the queue.
  const auditCtx = { actor: null, requestId: `job:${job.id}`, clock };
  const details = { purpose: mail.purpose, to: mail.to };

  if (transport.kind === "outbox") {
    await transaction(db, async (tx) => {
      if (
        !(await markMailDelivered(tx, mail.id, {
          transport: "outbox",
          messageId: null,
          at: clock.now(),
        }))
      )
        return;
      await writeAudit(tx, auditCtx, {
        action: "mail.sent",
        targetType: "mail",
        targetId: mail.id,
        details: { ...details, transport: "outbox" },
      });
    });
    log.info(
      { mail: mail.id, purpose: mail.purpose, transport: "outbox" },
      "mail put in the local outbox",
    );
    return "outbox";
  }

  if (mail.text === null || mail.html === null) throw new Error("queued mail without its bodies");
  let messageId: string;
  try {
    ({ messageId } = await transport.send({
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
    }));
  } catch (error) {
    const message = smtpErrorMessage(error);
    const final = job.attempts >= job.maxAttempts;
    await transaction(db, async (tx) => {
      if (!(await recordMailFailure(tx, mail.id, { error: message, final }))) return;
      if (final)
        await writeAudit(tx, auditCtx, {
          action: "mail.failed",
          targetType: "mail",
          targetId: mail.id,
          details: { ...details, error: message },
        });
    });
    // The queue records the job's failure (and retries) with this message.
    throw new Error(message, { cause: error });
  }
  await transaction(db, async (tx) => {
    if (!(await markMailDelivered(tx, mail.id, { transport: "smtp", messageId, at: clock.now() })))
      return;
    await writeAudit(tx, auditCtx, {
      action: "mail.sent",
      targetType: "mail",
      targetId: mail.id,
      details: { ...details, transport: "smtp" },
    });
  });
  log.info(
    { mail: mail.id, purpose: mail.purpose, transport: "smtp", server: transport.server },
    "mail sent",
  );
  return "sent";
}

/**
 * What is kept of a send failure: nodemailer's code and the server's reply, never the
 * message itself (a rejection may quote the command, which carries no body, but an error
 * object can reference the envelope and content).
 */
function smtpErrorMessage(error: unknown): string {
  if (!(error instanceof Error)) return "mail send failed";
  const e = error as Error & { code?: unknown; responseCode?: unknown; response?: unknown };
  const parts = [
    typeof e.code === "string" ? e.code : null,
    typeof e.responseCode === "number" ? String(e.responseCode) : null,
    typeof e.response === "string" ? e.response : e.message,
  ].filter((p): p is string => p !== null);
  // A server's reply is short; a token in one would be an echo of ours, cut either way.
  return parts
    .join(" ")
    .replace(/token=[^\s&"'<>]*/gi, "token=[redacted]")
    .slice(0, 500);
}
