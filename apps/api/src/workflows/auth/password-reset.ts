/**
 * The decision half of a password reset request, run by the worker after the request
 * committed (auth.requestPasswordReset only records it, the same way for every email, so
 * its answer and its time say nothing about the account). An active account gets a
 * single-use token and the mail with its link; an account that signs in by single sign-on
 * (no password, or an organization that enforces it) gets a mail pointing there and no
 * token; any other email gets nothing but the processed mark.
 */
import { PASSWORD_RESET_TTL_MS, passwordResetMail, ssoSignInMail } from "@gatehouse/core";
import {
  claimPasswordResetRequest,
  settlePasswordResetRequest,
  signsInBySso,
  transaction,
  type Database,
} from "@gatehouse/db";
import { passwordResetUrl, queueAccountMail } from "../../auth/account-mail.ts";
import { hashToken, newOpaqueToken, PASSWORD_RESET_TOKEN_PREFIX } from "../../auth/tokens.ts";

export async function processPasswordResetRequest(
  deps: { db: Database; publicUrl: () => string },
  requestId: string,
  now: Date,
): Promise<"mailed" | "sso reminder" | "no account" | "already processed"> {
  return transaction(deps.db, async (tx) => {
    const request = await claimPasswordResetRequest(tx, requestId);
    if (!request) return "already processed";
    if (!request.userId) {
      await settlePasswordResetRequest(tx, request.id, { now, token: null });
      return "no account";
    }
    if (await signsInBySso(tx, request.userId)) {
      await settlePasswordResetRequest(tx, request.id, { now, token: null });
      await queueAccountMail(tx, {
        to: request.email,
        purpose: "password_reset",
        userId: request.userId,
        content: ssoSignInMail({ loginUrl: new URL("/login", deps.publicUrl()).href }),
      });
      return "sso reminder";
    }
    const token = newOpaqueToken(PASSWORD_RESET_TOKEN_PREFIX);
    const expiresAt = new Date(now.getTime() + PASSWORD_RESET_TTL_MS);
    await settlePasswordResetRequest(tx, request.id, {
      now,
      token: { userId: request.userId, tokenHash: hashToken(token), expiresAt },
    });
    await queueAccountMail(tx, {
      to: request.email,
      purpose: "password_reset",
      userId: request.userId,
      content: passwordResetMail({
        resetUrl: passwordResetUrl(deps.publicUrl(), token),
        expiresAt,
      }),
    });
    return "mailed";
  });
}
