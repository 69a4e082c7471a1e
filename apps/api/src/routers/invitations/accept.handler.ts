/**
 * invitations.accept (public): the link's token, if usable (known, not expired, not
 * accepted, not revoked), is used up in the same transaction that grants the invitation's
 * memberships (never lowering a role held already) and:
 * - for a new account with a password, creates it and starts a session (auth.login's answer
 *   and cookies; the session's method is INVITATION, so enforcing SSO later ends it);
 * - for a new account of an organization that enforces single sign-on, creates it without a
 *   password: the person then signs in through the provider, which links by verified email;
 * - for an email that has an account, leaves its password alone and signs nobody in: the
 *   link proves the inbox, not the account (a link lasts a week, and the account may be an
 *   administrator's or bound to SSO), so the person signs in the usual way.
 * Any unusable token gets one answer, so nothing tells an expired link from a revoked one
 * to someone who merely guesses.
 */
import {
  badRequest,
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
  invitationSsoEnforced,
  liftOwnerLeftOnRejoin,
  putTeamMember,
  recordInvitationUser,
  recordLogin,
  ssoRequired,
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
import { unusableInvitation } from "./preview.handler.ts";

export const accept = publicProcedure
  .input(ZInvitationsAcceptInput)
  .output(ZInvitationsAcceptOutput)
  .mutation(async ({ ctx, input }) => {
    const now = ctx.clock.now();
    // Hashed before the transaction (argon2 takes tens of milliseconds; no locks held).
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    const outcome = await transaction(ctx.db, async (tx) => {
      const invitation = await claimInvitation(tx, hashToken(input.token), now);
      if (!invitation) throw unusableInvitation();
      const existing = await findInvitedAccount(tx, invitation.email);
      if (existing && !existing.isActive) throw forbidden("This account is disabled");
      if (existing?.passwordResetRequired)
        throw forbidden("This account must set a new password first: use the mail it was sent");
      const ssoEnforced = !existing && (await invitationSsoEnforced(tx, invitation));
      let user: { id: string; isSystemAdmin: boolean };
      if (existing) {
        user = existing;
      } else {
        if (!passwordHash && !ssoEnforced) throw badRequest("is required", { field: "password" });
        user = await insertUser(tx, {
          email: invitation.email,
          name: input.name,
          // Where SSO is enforced a password would never be asked for: none is kept.
          passwordHash: ssoEnforced ? null : passwordHash,
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
      const signIn = !existing && !ssoEnforced;
      const created = signIn
        ? await createSession(tx, user, {
            now,
            policy: ctx.config.session,
            ip: ctx.ip,
            userAgent: ctx.userAgent,
            authMethod: "INVITATION",
          })
        : null;
      if (created) await recordLogin(tx, user.id, now);
      const actor: Actor | null = created && {
        kind: "user",
        userId: user.id,
        isSystemAdmin: user.isSystemAdmin,
        adminOrgIds: [],
        sessionId: created.session.id,
      };
      // The person acts through the link, signed in or not.
      const audit = { ...ctx, actor: { kind: "user" as const, userId: user.id } };
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
          signedIn: signIn,
          teamId: invitation.teamId,
          ...granted,
        },
      });
      return {
        created,
        actor,
        userId: user.id,
        email: invitation.email,
        hasPassword: existing ? existing.hasPassword : !ssoEnforced,
      };
    });
    const { created, actor } = outcome;
    if (created && actor) {
      ctx.cookies.set(created.token, created.session.absoluteExpiresAt);
      return { status: "signedIn", me: await describeActor(ctx, actor, created.session) };
    }
    // Asked after the commit, so the organization just joined counts.
    const sso = !outcome.hasPassword || (await ssoRequired(ctx.db, outcome.userId));
    return { status: "joined", email: outcome.email, signInWith: sso ? "sso" : "password" };
  });
