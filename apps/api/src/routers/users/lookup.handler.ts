/**
 * users.lookup: find one active user by exact email, for adding them to a team. Open to
 * those who can manage some team's members (system admins, org admins, team admins);
 * exact match only, so it cannot be used to list the directory.
 *
 * System and org admins find anyone (org admins add people to their organization by id).
 * A caller who is only a team admin finds only people who share an organization with
 * them (a team of an organization takes only its members); anyone else is answered with
 * null, exactly like an unknown email, so the lookup confirms no address outside.
 */
import { ZLookupUserInput, ZLookupUserOutput } from "./lookup.schema.ts";
import { forbidden, normalizeEmail } from "@gatehouse/core";
import { authedProcedure } from "../../trpc/init.ts";

export const lookupUser = authedProcedure
  .input(ZLookupUserInput)
  .output(ZLookupUserOutput)
  .query(async ({ ctx, input }) => {
    const { actor } = ctx;
    let allowed = actor.isSystemAdmin || actor.adminOrgIds.length > 0;
    if (!allowed && actor.kind === "user") {
      allowed =
        (await ctx.db.prisma.teamMember.findFirst({
          where: { userId: actor.userId, role: "ADMIN" },
          select: { teamId: true },
        })) !== null;
    }
    if (!allowed) throw forbidden("Only those who manage team members can look users up");
    const teamAdminOnly =
      !actor.isSystemAdmin && actor.adminOrgIds.length === 0 && actor.kind === "user";
    return ctx.db.prisma.user.findFirst({
      where: {
        email: normalizeEmail(input.email),
        isActive: true,
        ...(teamAdminOnly
          ? {
              orgMemberships: {
                some: { organization: { members: { some: { userId: actor.userId } } } },
              },
            }
          : {}),
      },
      select: { id: true, email: true, name: true },
    });
  });
