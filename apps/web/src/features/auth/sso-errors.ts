/**
 * What the login page says when a single sign-on comes back with `?sso_error=<code>` (the API
 * never puts details of the failure in the URL, only a code). Unknown codes get the generic
 * message, so a new code on the server never shows a raw identifier.
 */
const messages: Record<string, string> = {
  no_provider:
    "Single sign-on is not set up for this email domain. Sign in with your password, or ask your organization admin.",
  unverified_email:
    "Your identity provider did not confirm this email address, so Gatehouse cannot sign you in with it.",
  no_account:
    "You do not have a Gatehouse account yet, and this organization does not create accounts on first sign-in. Ask your organization admin for an invitation.",
  account_disabled: "This account is disabled. Ask a system admin.",
  expired: "The sign-in took too long or was started in another tab. Try again.",
  access_denied: "The identity provider did not let you in.",
  idp_error:
    "The identity provider could not sign you in. Try again, or ask your organization admin.",
  sso_required: "Your organization requires single sign-on. Use “Continue with single sign-on”.",
};

export const GENERIC_SSO_ERROR =
  "Single sign-on did not complete. Try again, or ask your organization admin.";

export function ssoErrorMessage(code: string): string {
  return Object.hasOwn(messages, code) ? messages[code]! : GENERIC_SSO_ERROR;
}
