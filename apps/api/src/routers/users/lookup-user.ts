/**
 * users.lookup: find one active user by exact email, for adding them to a team. Open to
 * those who can manage some team's members (system admins, org admins, team admins);
 * exact match only, so it cannot be used to list the directory.
 */
import { forbidden, normalizeEmail } from "@gatehouse/core";
import { z } from "zod";
import { authedProcedure } from "../../trpc/init.ts";
import { ZId } from "../shared.schema.ts";

export const lookupUser = authedProcedure
  .input(z.strictObject({ email: z.string().trim().min(3).max(254) }))
  .output(z.object({ id: ZId, email: z.string(), name: z.string() }).nullable())
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
    return ctx.db.prisma.user.findFirst({
      where: { email: normalizeEmail(input.email), isActive: true },
      select: { id: true, email: true, name: true },
    });
  });
