/**
 * invitations.accept (public): the link's token, if usable (known, not expired, not
 * accepted, not revoked), is used up in the same transaction that creates the account (or,
 * when the email already has one, leaves its password alone), grants the invitation's
 * memberships (never lowering a role held already) and starts a session: the answer and the
 * cookies are auth.login's. Any unusable token gets one answer, so nothing tells an expired
 * link from a revoked one to someone who merely guesses.
 *
 * A new account needs a password today; organizations that enforce single sign-on will
 * accept without one (the `password` field is optional for that reason).
 */
import {
  badRequest,
  DomainError,
  forbidden,
  orgRoleAfterInvitation,
  teamRoleAfterInvitation,
} from "@gatehouse/core";
import {
  changeOrgMembership,
  claimInvitation,
  findOrgRoleIn,
  findInvitedAccount,
  findTeamRole,
  insertUser,
  liftOwnerLeftOnRejoin,
  putTeamMember,
  recordInvitationUser,
  recordLogin,
  transaction,
} from "@gatehouse/db";
import type { Actor } from "@gatehouse/core";
import { hashPassword } from "../../auth/password.ts";
import { createSession } from "../../auth/sessions.ts";
import { hashToken } from "../../auth/tokens.ts";
import { writeAudit } from "../../audit/write.ts";
import { publicProcedure } from "../../trpc/init.ts";
import { describeActor } from "../auth/shared.ts";
import { ZInvitationsAcceptInput, ZInvitationsAcceptOutput } from "./accept.schema.ts";

const unusable = () =>
  new DomainError(
    "BAD_REQUEST",
    "This invitation link is not valid: it may have expired, been used or been revoked. Ask for a new invitation.",
    { field: "token" },
  );

export const accept = publicProcedure
  .input(ZInvitationsAcceptInput)
  .output(ZInvitationsAcceptOutput)
  .mutation(async ({ ctx, input }) => {
    const now = ctx.clock.now();
    // Hashed before the transaction (argon2 takes tens of milliseconds; no locks held).
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    const { token, session, actor } = await transaction(ctx.db, async (tx) => {
      const invitation = await claimInvitation(tx, hashToken(input.token), now);
      if (!invitation) throw unusable();
      const existing = await findInvitedAccount(tx, invitation.email);
      if (existing && !existing.isActive) throw forbidden("This account is disabled");
      if (existing?.passwordResetRequired)
        throw forbidden("This account must set a new password first: use the mail it was sent");
      let user: { id: string; isSystemAdmin: boolean };
      if (existing) {
        user = existing;
      } else {
        if (!passwordHash) throw badRequest("is required", { field: "password" });
        user = await insertUser(tx, {
          email: invitation.email,
          name: input.name,
          passwordHash,
          isSystemAdmin: false,
          createdAt: now,
        });
      }
      const granted: Record<string, string | number> = {};
      if (invitation.organizationId && invitation.orgRole) {
        const current = await findOrgRoleIn(tx, invitation.organizationId, user.id);
        const to = orgRoleAfterInvitation(current, invitation.orgRole);
        if (to !== current)
          await changeOrgMembership(tx, {
            organizationId: invitation.organizationId,
            userId: user.id,
            to,
            now,
          });
        granted.orgRole = to;
      }
      if (invitation.teamId && invitation.teamRole) {
        const current = await findTeamRole(tx, invitation.teamId, user.id);
        const to = teamRoleAfterInvitation(current, invitation.teamRole);
        if (to !== current)
          await putTeamMember(tx, { teamId: invitation.teamId, userId: user.id, role: to, now });
        granted.teamRole = to;
        // Back in a team they left: their keys there work again (as teams.addMember).
        if (existing && current === null) {
          const reinstated = await liftOwnerLeftOnRejoin(tx, {
            teamId: invitation.teamId,
            userId: user.id,
          });
          if (reinstated > 0) granted.reinstatedKeys = reinstated;
        }
      }
      await recordInvitationUser(tx, invitation.id, user.id);
      const created = await createSession(tx, user, {
        now,
        policy: ctx.config.session,
        ip: ctx.ip,
        userAgent: ctx.userAgent,
      });
      await recordLogin(tx, user.id, now);
      const actor: Actor = {
        kind: "user",
        userId: user.id,
        isSystemAdmin: user.isSystemAdmin,
        adminOrgIds: [],
        sessionId: created.session.id,
      };
      const audit = { ...ctx, actor };
      if (!existing) {
        await writeAudit(tx, audit, {
          action: "user.create",
          targetType: "user",
          targetId: user.id,
          details: { email: invitation.email, invitationId: invitation.id },
        });
      }
      await writeAudit(tx, audit, {
        action: "invitation.accept",
        targetType: "invitation",
        targetId: invitation.id,
        organizationId: invitation.organizationId,
        details: {
          userId: user.id,
          newAccount: !existing,
          teamId: invitation.teamId,
          ...granted,
        },
      });
      return { ...created, actor };
    });
    ctx.cookies.set(token, session.absoluteExpiresAt);
    return describeActor(ctx, actor, session);
  });
