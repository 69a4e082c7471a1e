/**
 * orgs.create (admin), orgs.list (scoped: admins see all, others the organizations they
 * belong to), orgs.addMember / removeMember (admin or that organization's admin). Every
 * membership change goes through db `changeOrgMembership` (locked; never leaves an
 * organization without an ORG_ADMIN).
 */
import { conflict, notFound } from "@gatehouse/core";
import { changeOrgMembership, organizationSpend, type Prisma } from "@gatehouse/db";
import { serviceTokensStoppedByChange } from "../../auth/service-tokens.ts";
import { z } from "zod";
import { writeAudit } from "../../audit/write.ts";
import { adminProcedure, authedProcedure, orgAdminProcedure, router } from "../../trpc/init.ts";
import { toIso, toIsoOrNull, ZDateTime, ZId, ZName, ZPageInput } from "../shared.schema.ts";

const ZOrgRole = z.enum(["ORG_ADMIN", "MEMBER"]);

const ZOrganization = z.object({
  id: ZId,
  name: z.string(),
  createdAt: ZDateTime,
  /** The caller's role here; null for system admins who are not members. */
  myRole: ZOrgRole.nullable(),
  teamsCount: z.number().int(),
  membersCount: z.number().int(),
});

const create = adminProcedure
  .input(z.strictObject({ name: ZName }))
  .output(ZOrganization)
  .mutation(({ ctx, input }) =>
    ctx.db.prisma.$transaction(async (tx) => {
      const taken = await tx.organization.findUnique({ where: { name: input.name }, select: { id: true } });
      if (taken) throw conflict("An organization with this name already exists", { field: "name" });
      const org = await tx.organization.create({ data: { name: input.name, createdAt: ctx.clock.now() } });
      await writeAudit(tx, ctx, {
        action: "org.create",
        targetType: "organization",
        targetId: org.id,
        organizationId: org.id,
        details: { name: org.name },
      });
      return { id: org.id, name: org.name, createdAt: toIso(org.createdAt), myRole: null, teamsCount: 0, membersCount: 0 };
    }),
  );

const list = authedProcedure
  .input(ZPageInput.extend({ search: z.string().trim().max(200).optional() }).strict().default({ page: 1, pageSize: 25 }))
  .output(
    z.object({
      items: z.array(ZOrganization),
      total: z.number().int(),
      page: z.number().int(),
      pageSize: z.number().int(),
      totalPages: z.number().int(),
    }),
  )
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
      ctx.db.prisma.team.groupBy({ by: ["organizationId"], where: { organizationId: { in: ids } }, _count: true }),
      ctx.db.prisma.organizationMember.groupBy({ by: ["organizationId"], where: { organizationId: { in: ids } }, _count: true }),
      userId
        ? ctx.db.prisma.organizationMember.findMany({ where: { userId, organizationId: { in: ids } } })
        : Promise.resolve([]),
    ]);
    const teamsBy = new Map(teamCounts.map((c) => [c.organizationId, c._count]));
    const membersBy = new Map(memberCounts.map((c) => [c.organizationId, c._count]));
    const roleBy = new Map(mine.map((m) => [m.organizationId, m.role]));
    return {
      items: orgs.map((o) => ({
        id: o.id,
        name: o.name,
        createdAt: toIso(o.createdAt),
        myRole: roleBy.get(o.id) ?? (actor.kind === "service" && actor.adminOrgIds.includes(o.id) ? "ORG_ADMIN" : null),
        teamsCount: teamsBy.get(o.id) ?? 0,
        membersCount: membersBy.get(o.id) ?? 0,
      })),
      total,
      page: input.page,
      pageSize: input.pageSize,
      totalPages: Math.ceil(total / input.pageSize),
    };
  });

const ZOrgMembership = z.object({ organizationId: ZId, userId: ZId, role: ZOrgRole });

const addMember = orgAdminProcedure
  .input(z.strictObject({ organizationId: ZId, userId: ZId, role: ZOrgRole.default("MEMBER") }))
  .output(ZOrgMembership)
  .mutation(({ ctx, input }) =>
    ctx.db.prisma.$transaction(async (tx) => {
      const user = await tx.user.findUnique({ where: { id: input.userId }, select: { isActive: true } });
      if (!user || !user.isActive) throw notFound("User");
      // Adding an existing member sets their role: the call is idempotent. Locked and
      // checked in db, so no path demotes an organization's last admin.
      const change = await changeOrgMembership(tx, {
        organizationId: input.organizationId,
        userId: input.userId,
        to: input.role,
        now: ctx.clock.now(),
      });
      const existing = change.from !== null;
      // Their tokens for this organization act with at most their role here.
      const stoppedServiceTokens =
        change.from === "ORG_ADMIN" && input.role !== "ORG_ADMIN"
          ? // Read after the change: the stored role here is the "after".
            await serviceTokensStoppedByChange(tx, input.userId, (current, token) => ({
              before: token.organizationId === input.organizationId ? { ...current, orgRole: change.from } : current,
              after: current,
            }))
          : null;
      await writeAudit(tx, ctx, {
        action: existing ? "org.member.setRole" : "org.member.add",
        targetType: "organization",
        targetId: input.organizationId,
        organizationId: input.organizationId,
        details: {
          userId: input.userId,
          role: input.role,
          ...(existing ? { from: change.from } : {}),
          ...(stoppedServiceTokens ? { stoppedServiceTokens } : {}),
        },
      });
      return { organizationId: input.organizationId, userId: input.userId, role: input.role };
    }),
  );

const removeMember = orgAdminProcedure
  .input(z.strictObject({ organizationId: ZId, userId: ZId }))
  .output(z.object({ ok: z.literal(true) }))
  .mutation(async ({ ctx, input }) => {
    await ctx.db.prisma.$transaction(async (tx) => {
      const change = await changeOrgMembership(tx, {
        organizationId: input.organizationId,
        userId: input.userId,
        to: null,
        now: ctx.clock.now(),
      });
      const stoppedServiceTokens =
        change.from === "ORG_ADMIN"
          ? await serviceTokensStoppedByChange(tx, input.userId, (current, token) => ({
              before: token.organizationId === input.organizationId ? { ...current, orgRole: change.from } : current,
              after: current,
            }))
          : null;
      await writeAudit(tx, ctx, {
        action: "org.member.remove",
        targetType: "organization",
        targetId: input.organizationId,
        organizationId: input.organizationId,
        details: { userId: input.userId, role: change.from, ...(stoppedServiceTokens ? { stoppedServiceTokens } : {}) },
      });
    });
    return { ok: true as const };
  });

/** One organization with its members and their roles: system admins and its members. */
const get = authedProcedure
  .input(z.strictObject({ organizationId: ZId }))
  .output(
    ZOrganization.extend({
      members: z.array(z.object({ userId: ZId, email: z.string(), name: z.string(), role: ZOrgRole, isActive: z.boolean() })),
      /** Its teams' latest spend summed (USD; null while none was read) and the oldest reading in it. */
      spend: z.object({ totalUsd: z.number().nullable(), asOf: ZDateTime.nullable() }),
    }),
  )
  .query(async ({ ctx, input }) => {
    const { actor } = ctx;
    // The caller's role by a direct lookup, not from the (capped) member list below: a
    // member past the first 1,000 is still a member.
    const myRole =
      actor.kind === "user"
        ? ((
            await ctx.db.prisma.organizationMember.findUnique({
              where: { organizationId_userId: { organizationId: input.organizationId, userId: actor.userId } },
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
    const spend = await organizationSpend(ctx.db.pool, org.id);
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

export const orgsRouter = router({ create, list, get, addMember, removeMember });
