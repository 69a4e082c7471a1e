/**
 * invitations.preview (public): what the invitation page shows before accepting (the email,
 * where it leads, whether an account exists, whether the organization enforces single
 * sign-on), so it asks only what accepting needs. The token is the proof, as for accept;
 * an unusable one gets accept's one answer.
 */
import { DomainError } from "@gatehouse/core";
import { findInvitationPreview } from "@gatehouse/db";
import { hashToken } from "../../auth/tokens.ts";
import { publicProcedure } from "../../trpc/init.ts";
import { ZInvitationsPreviewInput, ZInvitationsPreviewOutput } from "./accept.schema.ts";

export const preview = publicProcedure
  .input(ZInvitationsPreviewInput)
  .output(ZInvitationsPreviewOutput)
  .query(async ({ ctx, input }) => {
    const found = await findInvitationPreview(ctx.db, hashToken(input.token), ctx.clock.now());
    if (!found) throw unusableInvitation();
    return found;
  });

export const unusableInvitation = (): DomainError =>
  new DomainError(
    "BAD_REQUEST",
    "This invitation link is not valid: it may have expired, been used or been revoked. Ask for a new invitation.",
    { field: "token" },
  );
