/**
 * auth.resetPassword (public): a usable reset token (known, unused, unexpired) is used up
 * and the password set in one transaction; all the person's sessions end (whoever forgot
 * the password may not be the only one holding the account), every other outstanding reset
 * token of theirs ends, a forced reset is lifted, and a "password changed" mail is queued.
 * It does not sign in: the person signs in with the new password, which also proves it
 * was typed as meant, and a stolen link alone never yields a session.
 */
import { DomainError, passwordChangedMail } from "@gatehouse/core";
import {
  endPasswordResetTokens,
  findUserContact,
  revokeUserSessions,
  setPasswordHash,
  transaction,
  usePasswordResetToken,
} from "@gatehouse/db";
import { queueAccountMail } from "../../auth/account-mail.ts";
import { hashPassword } from "../../auth/password.ts";
import { hashToken } from "../../auth/tokens.ts";
import { writeAudit } from "../../audit/write.ts";
import { publicProcedure } from "../../trpc/init.ts";
import { ZResetPasswordInput, ZResetPasswordOutput } from "./reset-password.schema.ts";

export const resetPassword = publicProcedure
  .input(ZResetPasswordInput)
  .output(ZResetPasswordOutput)
  .mutation(async ({ ctx, input }) => {
    const now = ctx.clock.now();
    const passwordHash = await hashPassword(input.password);
    await transaction(ctx.db, async (tx) => {
      const used = await usePasswordResetToken(tx, hashToken(input.token), now);
      if (!used)
        throw new DomainError(
          "BAD_REQUEST",
          "This reset link is not valid: it may have expired or been used. Ask for a new one.",
          { field: "token" },
        );
      await setPasswordHash(tx, used.userId, passwordHash);
      await endPasswordResetTokens(tx, used.userId, now);
      const sessionsEnded = await revokeUserSessions(tx, used.userId, now);
      await writeAudit(tx, ctx, {
        action: "auth.resetPassword",
        targetType: "user",
        targetId: used.userId,
        details: { sessionsEnded },
      });
      const contact = await findUserContact({ prisma: tx }, used.userId);
      if (contact) {
        await queueAccountMail(tx, {
          to: contact.email,
          purpose: "password_changed",
          userId: used.userId,
          content: passwordChangedMail({ at: now, how: "reset" }),
        });
      }
    });
    return { ok: true as const };
  });
