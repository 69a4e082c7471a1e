/**
 * auth.changePassword (signed-in people): the current password must be right; a wrong one
 * is a field error on `currentPassword` and counts as a failed sign-in against the login
 * limits of this account and address (so a stolen session cannot guess the password faster
 * than the login page allows). The caller's other sessions end; this one stays. Audited,
 * and a "password changed" mail is queued.
 */
import {
  addressGroupOf,
  badRequest,
  DomainError,
  forbidden,
  passwordChangedMail,
} from "@gatehouse/core";
import {
  endPasswordResetTokens,
  findUserContact,
  hitRateLimit,
  refundRateLimit,
  revokeUserSessions,
  setPasswordHash,
  transaction,
} from "@gatehouse/db";
import { queueAccountMail } from "../../auth/account-mail.ts";
import { hashPassword, verifyPassword } from "../../auth/password.ts";
import { writeAudit } from "../../audit/write.ts";
import { authedProcedure } from "../../trpc/init.ts";
import { ZChangePasswordInput, ZChangePasswordOutput } from "./change-password.schema.ts";

export const changePassword = authedProcedure
  .input(ZChangePasswordInput)
  .output(ZChangePasswordOutput)
  .mutation(async ({ ctx, input }) => {
    const { actor } = ctx;
    if (actor.kind !== "user") throw forbidden("Only people have passwords");
    const contact = await findUserContact(ctx.db, actor.userId);
    if (!contact) throw forbidden();
    // An account made by single sign-on has no password to change.
    if (contact.passwordHash === null)
      throw badRequest("this account signs in by single sign-on and has no password", {
        field: "currentPassword",
      });
    const now = ctx.clock.now();
    const { windowMs, maxPerAccount } = ctx.config.login;
    // The login page's tight limit (account, address): checked before any password work.
    const key = `login:account-address:${contact.email}:${addressGroupOf(ctx.ip)}`;
    // The attempt takes its place in the counter first (parallel guesses cannot slip past
    // the limit) and gives it back when refused or right, as auth.login does.
    if ((await hitRateLimit(ctx.db, key, windowMs, now)) > maxPerAccount) {
      await refundRateLimit(ctx.db, key, windowMs, now);
      throw new DomainError("TOO_MANY_REQUESTS", "Too many failed attempts; try again later");
    }
    if (!(await verifyPassword(contact.passwordHash, input.currentPassword)))
      throw badRequest("is not your current password", { field: "currentPassword" });
    await refundRateLimit(ctx.db, key, windowMs, now);
    const passwordHash = await hashPassword(input.newPassword);
    const sessionsEnded = await transaction(ctx.db, async (tx) => {
      await setPasswordHash(tx, actor.userId, passwordHash);
      await endPasswordResetTokens(tx, actor.userId, now);
      const ended = await revokeUserSessions(tx, actor.userId, now, actor.sessionId);
      await writeAudit(tx, ctx, {
        action: "auth.changePassword",
        targetType: "user",
        targetId: actor.userId,
        details: { sessionsEnded: ended },
      });
      await queueAccountMail(tx, {
        to: contact.email,
        purpose: "password_changed",
        userId: actor.userId,
        content: passwordChangedMail({ at: now, how: "change" }),
      });
      return ended;
    });
    return { ok: true as const, sessionsEnded };
  });
