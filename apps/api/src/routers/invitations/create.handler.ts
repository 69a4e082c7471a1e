/**
 * invitations.create: invites an email address into an organization and/or a team, with
 * roles, by whoever may grant them (core canManageInvitation). The mail with the single-use
 * link is queued in the same transaction; the token itself is never answered or stored.
 * Unknown (or invisible) organizations and teams, a role without its scope and a team
 * outside the organization are field errors.
 */
import {
  badRequest,
  canManageInvitation,
  INVITATION_TTL_MS,
  invitationScopeIssues,
  isOrgAdmin,
  resolveInvitationScope,
} from "@gatehouse/core";
import { insertInvitation, organizationName, teamAccessRow, transaction } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { authedProcedure } from "../../trpc/init.ts";
import { memberIdOf } from "../../trpc/team-access.ts";
import { ZInvitationsCreateInput, ZInvitationsCreateOutput } from "./create.schema.ts";
import {
  denyInvitation,
  newInvitationToken,
  queueInvitationMail,
  seesTeam,
  toInvitationOutput,
} from "./shared.ts";

export const create = authedProcedure
  .input(ZInvitationsCreateInput)
  .output(ZInvitationsCreateOutput)
  .mutation(async ({ ctx, input }) => {
    const [early] = invitationScopeIssues(input);
    if (early) throw badRequest(`${early.field} ${early.message}`, { field: early.field });
    const team = input.teamId
      ? await teamAccessRow(ctx.db, input.teamId, memberIdOf(ctx.actor))
      : null;
    if (input.teamId && (!team || !seesTeam(ctx.actor, team)))
      throw badRequest("Team not found", { field: "teamId" });
    const [misplaced] = invitationScopeIssues(input, team ? team.organizationId : undefined);
    if (misplaced)
      throw badRequest(`${misplaced.field} ${misplaced.message}`, { field: misplaced.field });
    const scope = resolveInvitationScope(input, team?.organizationId ?? null);
    if (!canManageInvitation(ctx.actor, scope, team?.role ?? null)) denyInvitation();
    const now = ctx.clock.now();
    const { token, tokenHash } = newInvitationToken();
    const invitation = await transaction(ctx.db, async (tx) => {
      // Checked after the rights: only its admins (and system admins) learn whether an
      // organization exists.
      if (input.organizationId && isOrgAdmin(ctx.actor, input.organizationId)) {
        if ((await organizationName(tx, input.organizationId)) === null)
          throw badRequest("Organization not found", { field: "organizationId" });
      }
      const created = await insertInvitation(tx, {
        email: input.email,
        ...scope,
        tokenHash,
        invitedById: ctx.actor.kind === "user" ? ctx.actor.userId : null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
      });
      await writeAudit(tx, ctx, {
        action: "invitation.create",
        targetType: "invitation",
        targetId: created.id,
        organizationId: scope.organizationId,
        details: {
          email: created.email,
          orgRole: scope.orgRole,
          teamId: scope.teamId,
          teamRole: scope.teamRole,
        },
      });
      await queueInvitationMail(tx, ctx, created, scope, token);
      return created;
    });
    return toInvitationOutput(invitation, now);
  });
