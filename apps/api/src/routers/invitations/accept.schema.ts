import { z } from "zod";
import { ZMe } from "../auth/shared.schema.ts";
import { ZName, ZPassword } from "../shared.schema.ts";

export const ZInvitationsAcceptInput = z.strictObject({
  /** The `token` of the link in the invitation mail. */
  token: z.string().min(1, { error: "is required" }).max(512),
  /** The new account's name (ignored when the email already has an account). */
  name: ZName,
  /**
   * The new account's password: required for a new account, unless the organization
   * enforces single sign-on (then unused: the person signs in through the provider).
   * Ignored when the email already has an account.
   */
  password: ZPassword.optional(),
});

/**
 * `signedIn`: a new account with a password, signed in (auth.login's answer and cookies).
 * `joined`: the memberships went to an existing account, or to a new one of an organization
 * that enforces single sign-on; the person signs in the way `signInWith` says. A link
 * alone never signs an existing account in: it proves the inbox, not the account.
 */
export const ZInvitationsAcceptOutput = z.discriminatedUnion("status", [
  z.strictObject({ status: z.literal("signedIn"), me: ZMe }),
  z.strictObject({
    status: z.literal("joined"),
    email: z.string(),
    signInWith: z.enum(["password", "sso"]),
  }),
]);

export const ZInvitationsPreviewInput = z.strictObject({
  token: z.string().min(1, { error: "is required" }).max(512),
});

/** What the invitation page needs to ask the right questions. */
export const ZInvitationsPreviewOutput = z.strictObject({
  email: z.string(),
  organizationName: z.string().nullable(),
  teamName: z.string().nullable(),
  /** The email has an account already: accepting adds the memberships to it. */
  accountExists: z.boolean(),
  /** The organization signs in by single sign-on: a new account gets no password. */
  ssoEnforced: z.boolean(),
});
