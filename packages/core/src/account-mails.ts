/**
 * The account mails (invitation, password reset, password changed) as pure functions of
 * their facts: a subject, a plain-text body and an HTML body. Every name that came from a
 * person (inviter, organization, team) is escaped in the HTML. Links carry their token as
 * `?token=`; the token never appears anywhere else.
 */
import type { OrgRole, TeamRole } from "./roles.ts";

export interface AccountMailContent {
  subject: string;
  text: string;
  html: string;
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

function layout(title: string, paragraphs: string[], link?: { href: string; label: string }) {
  const body = paragraphs.map((p) => `<p>${escape(p)}</p>`).join("\n");
  const button = link
    ? `<p><a href="${escape(link.href)}">${escape(link.label)}</a></p>\n<p>${escape(link.href)}</p>`
    : "";
  return `<!doctype html><html><body><h1>${escape(title)}</h1>\n${body}\n${button}</body></html>`;
}

export interface InvitationMailFacts {
  acceptUrl: string;
  inviterName: string | null;
  organizationName: string | null;
  orgRole: OrgRole | null;
  teamName: string | null;
  teamRole: TeamRole | null;
  expiresAt: Date;
}

export function invitationMail(facts: InvitationMailFacts): AccountMailContent {
  const where = [
    facts.organizationName ? `the organization ${facts.organizationName}` : null,
    facts.teamName ? `the team ${facts.teamName}` : null,
  ]
    .filter((x): x is string => x !== null)
    .join(" and ");
  const who = facts.inviterName ?? "An administrator";
  const intro = where
    ? `${who} invited you to join ${where} on Gatehouse.`
    : `${who} invited you to Gatehouse.`;
  const roles = [
    facts.orgRole ? `organization role: ${facts.orgRole}` : null,
    facts.teamRole ? `team role: ${facts.teamRole}` : null,
  ].filter((x): x is string => x !== null);
  const paragraphs = [
    intro,
    ...(roles.length ? [`Your ${roles.join(", ")}.`] : []),
    `The link works once and until ${facts.expiresAt.toISOString()}.`,
  ];
  const subject = where
    ? `You are invited to ${where} on Gatehouse`
    : "You are invited to Gatehouse";
  return {
    subject,
    text: `${paragraphs.join("\n\n")}\n\nAccept the invitation: ${facts.acceptUrl}\n`,
    html: layout(subject, paragraphs, { href: facts.acceptUrl, label: "Accept the invitation" }),
  };
}

export function passwordResetMail(facts: {
  resetUrl: string;
  expiresAt: Date;
}): AccountMailContent {
  const subject = "Reset your Gatehouse password";
  const paragraphs = [
    "Someone (we hope you) asked to reset the password of your Gatehouse account.",
    `The link works once and until ${facts.expiresAt.toISOString()}. If you did not ask, ignore this mail: your password stays as it is.`,
  ];
  return {
    subject,
    text: `${paragraphs.join("\n\n")}\n\nSet a new password: ${facts.resetUrl}\n`,
    html: layout(subject, paragraphs, { href: facts.resetUrl, label: "Set a new password" }),
  };
}

export function passwordChangedMail(facts: {
  at: Date;
  how: "reset" | "change";
}): AccountMailContent {
  const subject = "Your Gatehouse password was changed";
  const paragraphs = [
    facts.how === "reset"
      ? `Your password was reset at ${facts.at.toISOString()}; every session of your account was ended.`
      : `Your password was changed at ${facts.at.toISOString()}; your other sessions were ended.`,
    "If this was not you, ask your administrator to secure your account.",
  ];
  return { subject, text: `${paragraphs.join("\n\n")}\n`, html: layout(subject, paragraphs) };
}

export function forcedResetMail(facts: { resetUrl: string; expiresAt: Date }): AccountMailContent {
  const subject = "Set a new Gatehouse password";
  const paragraphs = [
    "An administrator requires you to set a new password: your current one no longer signs in, and your sessions were ended.",
    `The link works once and until ${facts.expiresAt.toISOString()}; after that, use "Forgot password?" on the sign-in page.`,
  ];
  return {
    subject,
    text: `${paragraphs.join("\n\n")}\n\nSet a new password: ${facts.resetUrl}\n`,
    html: layout(subject, paragraphs, { href: facts.resetUrl, label: "Set a new password" }),
  };
}
