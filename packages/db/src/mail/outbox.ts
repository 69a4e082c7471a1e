/**
 * What system admins read of the mails (outbox.list, outbox.get): every mail, newest first,
 * keyset-paged on (created_at, id), the bodies only one at a time.
 */
import type { MailStatus } from "@gatehouse/core";
import type { Database } from "../client.ts";

export interface MailSummary {
  id: string;
  purpose: string;
  to: string;
  subject: string;
  status: MailStatus;
  transport: string | null;
  createdAt: Date;
  sentAt: Date | null;
  attempts: number;
  lastError: string | null;
}

export interface MailWithBodies extends MailSummary {
  /** Null once cleared (sent over SMTP, or failed for good). */
  text: string | null;
  html: string | null;
}

const SUMMARY = {
  id: true,
  purpose: true,
  toAddress: true,
  subject: true,
  status: true,
  transport: true,
  createdAt: true,
  sentAt: true,
  attempts: true,
  lastError: true,
} as const;

function summaryOf(row: {
  id: string;
  purpose: string;
  toAddress: string;
  subject: string;
  status: MailStatus;
  transport: string | null;
  createdAt: Date;
  sentAt: Date | null;
  attempts: number;
  lastError: string | null;
}): MailSummary {
  const { toAddress, ...rest } = row;
  return { ...rest, to: toAddress };
}

/** One page of mails, newest first, after `after` (the last of the previous page). */
export async function listMails(
  db: Pick<Database, "prisma">,
  page: { after: { createdAt: Date; id: string } | null; take: number },
): Promise<MailSummary[]> {
  const { after } = page;
  const rows = await db.prisma.mail.findMany({
    where: after
      ? {
          OR: [
            { createdAt: { lt: after.createdAt } },
            { createdAt: after.createdAt, id: { lt: after.id } },
          ],
        }
      : {},
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: page.take,
    select: SUMMARY,
  });
  return rows.map(summaryOf);
}

export async function findMail(
  db: Pick<Database, "prisma">,
  mailId: string,
): Promise<MailWithBodies | null> {
  const row = await db.prisma.mail.findUnique({
    where: { id: mailId },
    select: { ...SUMMARY, textBody: true, htmlBody: true },
  });
  if (!row) return null;
  const { textBody, htmlBody, ...summary } = row;
  return { ...summaryOf(summary), text: textBody, html: htmlBody };
}
