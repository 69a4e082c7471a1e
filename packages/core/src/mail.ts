/**
 * What a mail Gatehouse sends is made of, as pure data: its purpose (for the record and the
 * audit, never its body), and its content as a subject with a plain-text body and an HTML
 * twin. mailLayout builds both from the same parts, so every mail reads the same in a
 * text-only client, a screen reader and a browser-like one. Sending is the worker's
 * (apps/api mail), queueing the db package's (`queueMail`).
 */
import { z } from "zod";

/** Why a mail was sent: kept on its row and in its audit events. Add new purposes here. */
export const MAIL_PURPOSES = [
  "invitation",
  "password_reset",
  "password_changed",
  "test",
  "webhook_disabled",
  // An event (events.ts) told to the people it concerns (notifications.ts notificationMail).
  "notification",
  "key_rotated",
] as const;
export const ZMailPurpose = z.enum(MAIL_PURPOSES);
export type MailPurpose = (typeof MAIL_PURPOSES)[number];

export interface MailContent {
  subject: string;
  /** The plain-text body (the part text-only clients and the logs of some servers show). */
  text: string;
  /** The HTML body, the same words as `text`. */
  html: string;
}

/**
 * Send attempts before a mail is FAILED. With the queue's backoff (1 s doubling, capped at
 * 5 min) ten attempts span about 20 minutes: a mail server's restart or a greylisting
 * delay is ridden out, while a link that must arrive soon (a reset) is not retried for a
 * day after it stopped being useful.
 */
export const MAIL_SEND_ATTEMPTS = 10;

/** Where a mail is in its life (mails.status). OUTBOX: kept in the local outbox, no SMTP. */
export const MAIL_STATUSES = ["QUEUED", "SENT", "FAILED", "OUTBOX"] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];
/** How a mail left (or will leave): over SMTP, or into the local outbox. */
export const MAIL_TRANSPORTS = ["smtp", "outbox"] as const;
export type MailTransportKind = (typeof MAIL_TRANSPORTS)[number];

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text made safe to place in HTML content and in quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

export interface MailLayoutInput {
  heading: string;
  paragraphs: readonly string[];
  /** One call to action: a button in HTML, the label and the bare URL on its own line in text. */
  action?: { label: string; url: string };
}

/**
 * One mail's content from its parts: the heading is the subject, the HTML a small,
 * table-free, inline-styled document (mail clients ignore style sheets) with `lang`, a
 * title and a real link for the action; the text the same words, the URL on its own line
 * so text clients make it clickable. Every part is text: it is escaped here, never HTML.
 */
export function mailLayout(input: MailLayoutInput): MailContent {
  const { heading, paragraphs, action } = input;
  // Links in mails are Gatehouse's own pages; anything else (javascript:, data:) is a bug.
  if (action && !/^https?:\/\//i.test(action.url))
    throw new RangeError("mailLayout: the action's URL must be http(s)");
  const textParts = [heading, "", ...paragraphs.flatMap((p) => [p, ""])];
  if (action) textParts.push(`${action.label}:`, action.url, "");
  const text = textParts.join("\n").replace(/\n+$/, "\n");

  const body = [
    `<h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(heading)}</h1>`,
    ...paragraphs.map((p) => `<p style="margin:0 0 12px;line-height:1.5">${escapeHtml(p)}</p>`),
  ];
  if (action) {
    const href = escapeHtml(action.url);
    body.push(
      `<p style="margin:20px 0"><a href="${href}" style="background:#1d4ed8;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(action.label)}</a></p>`,
      `<p style="margin:0 0 12px;line-height:1.5;font-size:13px;color:#374151">If the button does not work, open this address: <a href="${href}">${escapeHtml(action.url)}</a></p>`,
    );
  }
  const html = [
    "<!doctype html>",
    '<html lang="en">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
    `<title>${escapeHtml(heading)}</title></head>`,
    '<body style="margin:0;padding:24px;font-family:system-ui,sans-serif;color:#111827;background:#ffffff">',
    '<main style="max-width:560px">',
    ...body,
    "</main>",
    "</body>",
    "</html>",
  ].join("\n");
  return { subject: heading, text, html };
}
