/** Reading account mails' links in tests: the token of `?token=` in a received mail. */
import type { ParsedMail, SmtpReceiver } from "./smtp.ts";
import { addressOf } from "./smtp.ts";

export function tokenOf(mail: ParsedMail, path: string): string | null {
  const match = new RegExp(`${path.replace(/[/?]/g, "\\$&")}\\?token=([A-Za-z0-9_%-]+)`).exec(
    mail.text ?? "",
  );
  return match ? decodeURIComponent(match[1]!) : null;
}

/**
 * Waits for a mail to `to` whose link under `path` carries a token not in `seen` (a resend
 * or a second request yields a new one), and returns that token.
 */
export async function waitForToken(
  smtp: SmtpReceiver,
  to: string,
  path: "/invitations/accept" | "/reset-password",
  seen: ReadonlySet<string> = new Set(),
): Promise<{ token: string; mail: ParsedMail }> {
  const mail = await smtp.waitFor((m) => {
    if (addressOf(m.to) !== to) return false;
    const token = tokenOf(m, path);
    return token !== null && !seen.has(token);
  });
  return { token: tokenOf(mail, path)!, mail };
}
