import { type Prisma } from "@gatehouse/db";
import { pageOf } from "../shared.schema.ts";
import { authedProcedure } from "../../trpc/init.ts";
import { toIso } from "../shared.schema.ts";
import { ZOrgsListInput, ZOrgsListOutput } from "./list.schema.ts";

export const list = authedProcedure
  .input(ZOrgsListInput)
  .output(ZOrgsListOutput)
  .query(async ({ ctx, input }) => {
    const { actor } = ctx;
    const userId = actor.kind === "user" ? actor.userId : null;
    const scope: Prisma.OrganizationWhereInput = actor.isSystemAdmin
      ? {}
      : userId
        ? { members: { some: { userId } } }
        : { id: { in: [...actor.adminOrgIds] } };
    const where: Prisma.OrganizationWhereInput = {
      ...scope,
      ...(input.search ? { name: { contains: input.search, mode: "insensitive" } } : {}),
    };
    const [total, orgs] = await Promise.all([
      ctx.db.prisma.organization.count({ where }),
      ctx.db.prisma.organization.findMany({
        where,
        orderBy: { name: "asc" },
        skip: (input.page - 1) * input.pageSize,
        take: input.pageSize,
        select: { id: true, name: true, createdAt: true },
      }),
    ]);
    const ids = orgs.map((o) => o.id);
    // Counts for this page's organizations only.
    const [teamCounts, memberCounts, mine] = await Promise.all([
      ctx.db.prisma.team.groupBy({
        by: ["organizationId"],
        where: { organizationId: { in: ids } },
        _count: true,
      }),
      ctx.db.prisma.organizationMember.groupBy({
        by: ["organizationId"],
        where: { organizationId: { in: ids } },
        _count: true,
      }),
      userId
        ? ctx.db.prisma.organizationMember.findMany({
            where: { userId, organizationId: { in: ids } },
          })
        : Promise.resolve([]),
    ]);
    const teamsBy = new Map(teamCounts.map((c) => [c.organizationId, c._count]));
    const membersBy = new Map(memberCounts.map((c) => [c.organizationId, c._count]));
    const roleBy = new Map(mine.map((m) => [m.organizationId, m.role]));
    return pageOf(
      orgs.map((o) => ({
        id: o.id,
        name: o.name,
        createdAt: toIso(o.createdAt),
        myRole:
          roleBy.get(o.id) ??
          (actor.kind === "service" && actor.adminOrgIds.includes(o.id) ? "ORG_ADMIN" : null),
        teamsCount: teamsBy.get(o.id) ?? 0,
        membersCount: membersBy.get(o.id) ?? 0,
      })),
      total,
      input,
    );
  });
