/**
 * users.forcePasswordReset (system admins): the person's sessions end and their password
 * stops signing in (users.password_reset_required: auth.login answers the usual invalid
 * credentials) until they set a new one through the reset mail sent now (or a later
 * "forgot password" one). Audited.
 */
import { forcedResetMail, notFound, PASSWORD_RESET_TTL_MS } from "@gatehouse/core";
import {
  insertPasswordResetToken,
  requirePasswordReset,
  revokeUserSessions,
  transaction,
} from "@gatehouse/db";
import { passwordResetUrl, queueAccountMail } from "../../auth/account-mail.ts";
import { hashToken, newOpaqueToken, PASSWORD_RESET_TOKEN_PREFIX } from "../../auth/tokens.ts";
import { writeAudit } from "../../audit/write.ts";
import { adminProcedure } from "../../trpc/init.ts";
import {
  ZForcePasswordResetInput,
  ZForcePasswordResetOutput,
} from "./force-password-reset.schema.ts";

export const forcePasswordReset = adminProcedure
  .input(ZForcePasswordResetInput)
  .output(ZForcePasswordResetOutput)
  .mutation(async ({ ctx, input }) => {
    const now = ctx.clock.now();
    const token = newOpaqueToken(PASSWORD_RESET_TOKEN_PREFIX);
    const expiresAt = new Date(now.getTime() + PASSWORD_RESET_TTL_MS);
    const sessionsEnded = await transaction(ctx.db, async (tx) => {
      const user = await requirePasswordReset(tx, input.userId);
      if (!user) throw notFound("User", { field: "userId" });
      const ended = await revokeUserSessions(tx, user.id, now);
      await insertPasswordResetToken(tx, {
        userId: user.id,
        email: user.email,
        tokenHash: hashToken(token),
        expiresAt,
        now,
      });
      await writeAudit(tx, ctx, {
        action: "user.forcePasswordReset",
        targetType: "user",
        targetId: user.id,
        details: { sessionsEnded: ended },
      });
      await queueAccountMail(tx, {
        to: user.email,
        purpose: "password_reset",
        userId: user.id,
        content: forcedResetMail({ resetUrl: passwordResetUrl(ctx.config, token), expiresAt }),
      });
      return ended;
    });
    return { userId: input.userId, sessionsEnded };
  });
