/**
 * invitations.resend: a pending (or expired, not yet accepted or revoked) invitation gets a
 * new token and a new expiry, and a new mail; the previous link stops working at once.
 */
import { INVITATION_TTL_MS, preconditionFailed } from "@gatehouse/core";
import { findInvitation, renewInvitation, transaction } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { authedProcedure } from "../../trpc/init.ts";
import { ZInvitationsResendInput, ZInvitationsResendOutput } from "./resend.schema.ts";
import {
  newInvitationToken,
  queueInvitationMail,
  requireInvitationManager,
  toInvitationOutput,
} from "./shared.ts";

export const resend = authedProcedure
  .input(ZInvitationsResendInput)
  .output(ZInvitationsResendOutput)
  .mutation(async ({ ctx, input }) => {
    const current = await requireInvitationManager(
      ctx,
      await findInvitation(ctx.db, input.invitationId),
    );
    const now = ctx.clock.now();
    const { token, tokenHash } = newInvitationToken();
    const renewed = await transaction(ctx.db, async (tx) => {
      const row = await renewInvitation(tx, current.id, {
        tokenHash,
        expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
      });
      if (!row) throw preconditionFailed("This invitation was already accepted or revoked");
      await writeAudit(tx, ctx, {
        action: "invitation.resend",
        targetType: "invitation",
        targetId: row.id,
        organizationId: row.organization?.id ?? null,
        details: { email: row.email },
      });
      await queueInvitationMail(tx, ctx, row, row, token);
      return row;
    });
    return toInvitationOutput(renewed, now);
  });
