/**
 * auth.requestPasswordReset (public): "forgot password". The answer (status, body) and the
 * work done are the same whether or not the email has an account, by construction: two
 * rate-limit hits, then one transaction that records the request and queues one job. The
 * worker's job decides (workflows/auth/password-reset.ts): a token and a mail for an active
 * account, nothing otherwise.
 *
 * Limits (fixed windows, shared by every instance): per email address
 * (GATEHOUSE_PASSWORD_RESET_MAX_PER_EMAIL: nobody floods an inbox) and per client address
 * group (GATEHOUSE_PASSWORD_RESET_MAX_PER_ADDRESS, core addressGroupOf). Past either,
 * TOO_MANY_REQUESTS, for existing and unknown emails alike.
 */
import { addressGroupOf, DomainError } from "@gatehouse/core";
import { hitRateLimit, transaction } from "@gatehouse/db";
import { recordPasswordResetRequest } from "../../auth/password-reset-request.ts";
import { publicProcedure } from "../../trpc/init.ts";
import {
  ZRequestPasswordResetInput,
  ZRequestPasswordResetOutput,
} from "./request-password-reset.schema.ts";

export const requestPasswordReset = publicProcedure
  .input(ZRequestPasswordResetInput)
  .output(ZRequestPasswordResetOutput)
  .mutation(async ({ ctx, input }) => {
    const now = ctx.clock.now();
    const { windowMs, maxPerEmail, maxPerAddress } = ctx.config.passwordReset;
    const limits = [
      { key: `reset:email:${input.email}`, max: maxPerEmail },
      { key: `reset:address:${addressGroupOf(ctx.ip)}`, max: maxPerAddress },
    ];
    for (const { key, max } of limits) {
      if ((await hitRateLimit(ctx.db, key, windowMs, now)) > max)
        throw new DomainError(
          "TOO_MANY_REQUESTS",
          "Too many password reset requests; try again later",
        );
    }
    await transaction(ctx.db, (tx) => recordPasswordResetRequest(tx, input.email, now));
    return { ok: true as const };
  });
