/**
 * What the login page says when a single sign-on comes back with `?sso_error=<code>` (the API
 * never puts details of the failure in the URL, only a code). Unknown codes get the generic
 * message, so a new code on the server never shows a raw identifier.
 */
const messages: Record<string, string> = {
  invalid_request:
    "The sign-in could not be completed: it took too long, or was started in another tab or browser. Try again.",
  no_provider:
    "Single sign-on is not set up for this email domain. Sign in with your password, or ask your organization admin.",
  idp_unavailable: "Your identity provider could not be reached. Try again in a moment.",
  idp_refused:
    "Your identity provider's answer could not be accepted. Try again, or ask your organization admin.",
  email_unverified:
    "Your identity provider did not confirm this email address, so Gatehouse cannot sign you in with it.",
  domain_not_served:
    "The email address your identity provider returned is not in a domain this provider serves.",
  too_many_requests:
    "Too many sign-ins were started from your network just now. Wait a few minutes and try again.",
  not_allowed:
    "You cannot sign in here yet: there is no Gatehouse account for you (ask for an invitation), or it is disabled.",
};

export const GENERIC_SSO_ERROR =
  "Single sign-on did not complete. Try again, or ask your organization admin.";

export function ssoErrorMessage(code: string): string {
  return Object.hasOwn(messages, code) ? messages[code]! : GENERIC_SSO_ERROR;
}
