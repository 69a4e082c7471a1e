import { notFound } from "@gatehouse/core";
import { organizationSpend } from "@gatehouse/db";
import { authedProcedure } from "../../trpc/init.ts";
import { toIso, toIsoOrNull } from "../shared.schema.ts";
import { ZOrgsGetInput, ZOrgsGetOutput } from "./get.schema.ts";

/** One organization with its members and their roles: system admins and its members. */
export const get = authedProcedure
  .input(ZOrgsGetInput)
  .output(ZOrgsGetOutput)
  .query(async ({ ctx, input }) => {
    const { actor } = ctx;
    // The caller's role by a direct lookup, not from the (capped) member list below: a
    // member past the first 1,000 is still a member.
    const myRole =
      actor.kind === "user"
        ? ((
            await ctx.db.prisma.organizationMember.findUnique({
              where: {
                organizationId_userId: {
                  organizationId: input.organizationId,
                  userId: actor.userId,
                },
              },
              select: { role: true },
            })
          )?.role ?? null)
        : actor.adminOrgIds.includes(input.organizationId)
          ? ("ORG_ADMIN" as const)
          : null;
    // Not a member: "not found" rather than "forbidden", so ids cannot be probed.
    if (!actor.isSystemAdmin && myRole === null) throw notFound("Organization");
    const org = await ctx.db.prisma.organization.findUnique({
      where: { id: input.organizationId },
      include: {
        members: {
          include: { user: { select: { email: true, name: true, isActive: true } } },
          orderBy: { user: { email: "asc" } },
          take: 1000,
        },
        _count: { select: { teams: true, members: true } },
      },
    });
    if (!org) throw notFound("Organization");
    const spend = await organizationSpend(ctx.db, org.id);
    return {
      id: org.id,
      name: org.name,
      createdAt: toIso(org.createdAt),
      myRole,
      teamsCount: org._count.teams,
      membersCount: org._count.members,
      spend: { totalUsd: spend.totalUsd, asOf: toIsoOrNull(spend.asOf) },
      members: org.members.map((m) => ({
        userId: m.userId,
        email: m.user.email,
        name: m.user.name,
        role: m.role,
        isActive: m.user.isActive,
      })),
    };
  });
