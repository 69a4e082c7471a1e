/**
 * users.lookup: find one active user by exact email, for adding them to a team or an
 * organization. Open to those who can manage some team's members (system admins, org
 * admins, team admins); exact match only, so it cannot be used to list the directory.
 *
 * Only people the caller may already see are found (core userVisibility): system admins
 * find anyone; a person finds those who share an organization with them; an org-scoped
 * token finds its organization's members. Anyone else is answered with null, exactly like
 * an unknown email, so the lookup confirms no address outside (people from outside join
 * an organization by invitation, not by lookup).
 */
import { ZLookupUserInput, ZLookupUserOutput } from "./lookup.schema.ts";
import { forbidden, normalizeEmail, userVisibility } from "@gatehouse/core";
import { findVisibleActiveUser, isSomeTeamAdmin } from "@gatehouse/db";
import { authedProcedure } from "../../trpc/init.ts";

export const lookup = authedProcedure
  .input(ZLookupUserInput)
  .output(ZLookupUserOutput)
  .query(async ({ ctx, input }) => {
    const { actor } = ctx;
    let allowed = actor.isSystemAdmin || actor.adminOrgIds.length > 0;
    if (!allowed && actor.kind === "user") {
      allowed = await isSomeTeamAdmin(ctx.db, actor.userId);
    }
    if (!allowed) throw forbidden("Only those who manage team members can look users up");
    return findVisibleActiveUser(ctx.db, normalizeEmail(input.email), userVisibility(actor));
  });
