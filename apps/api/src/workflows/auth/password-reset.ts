/**
 * The decision half of a password reset request, run by the worker after the request
 * committed (auth.requestPasswordReset only records it, the same way for every email, so
 * its answer and its time say nothing about the account). An active account gets a
 * single-use token and the mail with its link; any other email gets nothing but the
 * processed mark.
 */
import { PASSWORD_RESET_TTL_MS, passwordResetMail } from "@gatehouse/core";
import {
  claimPasswordResetRequest,
  settlePasswordResetRequest,
  transaction,
  type Database,
} from "@gatehouse/db";
import { passwordResetUrl, queueAccountMail } from "../../auth/account-mail.ts";
import { hashToken, newOpaqueToken, PASSWORD_RESET_TOKEN_PREFIX } from "../../auth/tokens.ts";

export async function processPasswordResetRequest(
  deps: { db: Database; publicUrl: () => string },
  requestId: string,
  now: Date,
): Promise<"mailed" | "no account" | "already processed"> {
  return transaction(deps.db, async (tx) => {
    const request = await claimPasswordResetRequest(tx, requestId);
    if (!request) return "already processed";
    if (!request.userId) {
      await settlePasswordResetRequest(tx, request.id, { now, token: null });
      return "no account";
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
