/** invitations.revoke: a pending invitation's link stops working; audited. */
import { preconditionFailed } from "@gatehouse/core";
import { findInvitation, revokeInvitation, transaction } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { authedProcedure } from "../../trpc/init.ts";
import { ZInvitationsRevokeInput, ZInvitationsRevokeOutput } from "./revoke.schema.ts";
import { requireInvitationManager, toInvitationOutput } from "./shared.ts";

export const revoke = authedProcedure
  .input(ZInvitationsRevokeInput)
  .output(ZInvitationsRevokeOutput)
  .mutation(async ({ ctx, input }) => {
    const current = await requireInvitationManager(
      ctx,
      await findInvitation(ctx.db, input.invitationId),
    );
    const now = ctx.clock.now();
    await transaction(ctx.db, async (tx) => {
      if (!(await revokeInvitation(tx, current.id, now)))
        throw preconditionFailed("This invitation was already accepted or revoked");
      await writeAudit(tx, ctx, {
        action: "invitation.revoke",
        targetType: "invitation",
        targetId: current.id,
        organizationId: current.organization?.id ?? null,
        details: { email: current.email },
      });
    });
    return toInvitationOutput({ ...current, revokedAt: now }, now);
  });
