/**
 * The account mails (invitation, password reset, password changed) as pure functions of
 * their facts, laid out by mailLayout (which escapes every part: names that came from a
 * person, inviter, organization, team, are text, never HTML). Links carry their token as
 * `?token=`; the token appears nowhere else.
 */
import { mailLayout, type MailContent } from "./mail.ts";
import type { OrgRole, TeamRole } from "./roles.ts";

export interface InvitationMailFacts {
  acceptUrl: string;
  inviterName: string | null;
  organizationName: string | null;
  orgRole: OrgRole | null;
  teamName: string | null;
  teamRole: TeamRole | null;
  expiresAt: Date;
}

export function invitationMail(facts: InvitationMailFacts): MailContent {
  const where = [
    facts.organizationName ? `the organization ${facts.organizationName}` : null,
    facts.teamName ? `the team ${facts.teamName}` : null,
  ]
    .filter((x): x is string => x !== null)
    .join(" and ");
  const who = facts.inviterName ?? "An administrator";
  const roles = [
    facts.orgRole ? `organization role ${facts.orgRole}` : null,
    facts.teamRole ? `team role ${facts.teamRole}` : null,
  ].filter((x): x is string => x !== null);
  return mailLayout({
    heading: where ? `You are invited to ${where} on Gatehouse` : "You are invited to Gatehouse",
    paragraphs: [
      where
        ? `${who} invited you to join ${where} on Gatehouse.`
        : `${who} invited you to Gatehouse.`,
      ...(roles.length ? [`You will have the ${roles.join(" and the ")}.`] : []),
      `The link works once, until ${facts.expiresAt.toISOString()}.`,
    ],
    action: { label: "Accept the invitation", url: facts.acceptUrl },
  });
}

export function passwordResetMail(facts: { resetUrl: string; expiresAt: Date }): MailContent {
  return mailLayout({
    heading: "Reset your Gatehouse password",
    paragraphs: [
      "Someone (we hope you) asked to reset the password of your Gatehouse account.",
      `The link works once, until ${facts.expiresAt.toISOString()}. If you did not ask, ignore this mail: your password stays as it is.`,
    ],
    action: { label: "Set a new password", url: facts.resetUrl },
  });
}

/**
 * The answer to a reset request of an account that signs in by single sign-on: no token
 * (a password would never be asked for), the way in instead.
 */
export function ssoSignInMail(facts: { loginUrl: string }): MailContent {
  return mailLayout({
    heading: "Your Gatehouse account signs in by single sign-on",
    paragraphs: [
      "Someone (we hope you) asked to reset the password of your Gatehouse account. Your organization signs its people in through its identity provider, so there is no Gatehouse password to reset.",
      'On the sign-in page, choose "Continue with single sign-on" and enter your work email.',
    ],
    action: { label: "Go to the sign-in page", url: facts.loginUrl },
  });
}

export function forcedResetMail(facts: { resetUrl: string; expiresAt: Date }): MailContent {
  return mailLayout({
    heading: "Set a new Gatehouse password",
    paragraphs: [
      "An administrator requires you to set a new password: your current one no longer signs in, and your sessions were ended.",
      `The link works once, until ${facts.expiresAt.toISOString()}; after that, use "Forgot password?" on the sign-in page.`,
    ],
    action: { label: "Set a new password", url: facts.resetUrl },
  });
}

export function passwordChangedMail(facts: { at: Date; how: "reset" | "change" }): MailContent {
  return mailLayout({
    heading: "Your Gatehouse password was changed",
    paragraphs: [
      facts.how === "reset"
        ? `Your password was reset at ${facts.at.toISOString()}; every session of your account was ended.`
        : `Your password was changed at ${facts.at.toISOString()}; your other sessions were ended.`,
      "If this was not you, ask your administrator to secure your account.",
    ],
  });
}
