/**
 * invitations.list: pending (not accepted, not revoked; expired ones included, marked so)
 * invitations the caller may manage, newest first. With `teamId`: the team's (its admins,
 * the organization's admins); with `organizationId`: the organization's (its admins);
 * neither: every invitation for system admins, the caller's own for anyone else.
 */
import {
  canManageInvitation,
  decodeCursor,
  encodeCursor,
  forbidden,
  isOrgAdmin,
  notFound,
} from "@gatehouse/core";
import { listPendingInvitations, teamAccessRow, type InvitationListScope } from "@gatehouse/db";
import { authedProcedure } from "../../trpc/init.ts";
import { memberIdOf } from "../../trpc/team-access.ts";
import { ZInvitationsListInput, ZInvitationsListOutput } from "./list.schema.ts";
import { seesTeam, toInvitationOutput } from "./shared.ts";

const SORT = { sortBy: "createdAt", sortOrder: "desc" } as const;

export const list = authedProcedure
  .input(ZInvitationsListInput)
  .output(ZInvitationsListOutput)
  .query(async ({ ctx, input }) => {
    const { actor } = ctx;
    let scope: InvitationListScope;
    if (input.teamId) {
      const team = await teamAccessRow(ctx.db, input.teamId, memberIdOf(actor));
      if (!team || !seesTeam(actor, team)) throw notFound("Team");
      const rights = { organizationId: team.organizationId, orgRole: null, teamId: team.id };
      if (!canManageInvitation(actor, rights, team.role)) throw forbidden();
      if (input.organizationId && input.organizationId !== team.organizationId)
        throw notFound("Team");
      scope = { teamId: team.id };
    } else if (input.organizationId) {
      if (!isOrgAdmin(actor, input.organizationId))
        throw forbidden("Organization administrators only");
      scope = { organizationId: input.organizationId };
    } else if (actor.isSystemAdmin) {
      scope = { all: true };
    } else if (actor.kind === "user") {
      scope = { invitedById: actor.userId };
    } else {
      throw forbidden("Name an organization");
    }
    const after = input.cursor ? decodeCursor(input.cursor, SORT) : null;
    const rows = await listPendingInvitations(ctx.db, scope, {
      limit: input.limit + 1,
      after: after ? { createdAt: new Date(after.value), id: after.id } : undefined,
    });
    const page = rows.slice(0, input.limit);
    const last = page.at(-1);
    const now = ctx.clock.now();
    return {
      items: page.map((row) => toInvitationOutput(row, now)),
      nextCursor:
        rows.length > input.limit && last
          ? encodeCursor({ ...SORT, value: last.createdAt.toISOString(), id: last.id })
          : null,
    };
  });
