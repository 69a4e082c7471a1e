/**
 * Queueing a mail: its row and the job that sends it go in the caller's transaction, so a
 * mail exists exactly when the change that needs it (an invitation, a reset) committed,
 * and the worker sends it durably (retried with backoff) after. The job carries only the
 * mail's id: job payloads and errors are shown to operators, and a body may hold a token.
 */
import { jobs, MAIL_SEND_ATTEMPTS, type MailContent, type MailPurpose } from "@gatehouse/core";
import { enqueueJobs } from "../jobs/enqueue.ts";
import type { Tx } from "../transaction.ts";

export interface QueueMailInput {
  to: string;
  purpose: MailPurpose;
  content: MailContent;
  /** The person the mail is about, when there is one (their mails, kept if they go). */
  userId?: string | null;
}

export async function queueMail(tx: Tx, input: QueueMailInput): Promise<{ id: string }> {
  const { id } = await tx.mail.create({
    data: {
      purpose: input.purpose,
      toAddress: input.to,
      subject: input.content.subject,
      textBody: input.content.text,
      htmlBody: input.content.html,
      userId: input.userId ?? null,
    },
    select: { id: true },
  });
  await enqueueJobs(tx, [{ ...jobs.sendMail({ mailId: id }), maxAttempts: MAIL_SEND_ATTEMPTS }]);
  return { id };
}
