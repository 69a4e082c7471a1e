import { MAIL_TRANSPORTS, type MailTransportKind } from "@gatehouse/core";
import type { MailSummary } from "@gatehouse/db";
import { toIso, toIsoOrNull } from "../shared.schema.ts";

const isTransport = (t: string | null): t is MailTransportKind =>
  t !== null && (MAIL_TRANSPORTS as readonly string[]).includes(t);

/** A mails row as outbox procedures answer it. */
export function toOutboxMail(m: MailSummary) {
  return {
    id: m.id,
    purpose: m.purpose,
    to: m.to,
    subject: m.subject,
    status: m.status,
    transport: isTransport(m.transport) ? m.transport : null,
    createdAt: toIso(m.createdAt),
    sentAt: toIsoOrNull(m.sentAt),
    attempts: m.attempts,
    lastError: m.lastError,
  };
}
