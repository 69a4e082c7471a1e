import { decodeCursor, encodeCursor, forbidden, isOrgAdmin } from "@gatehouse/core";
import type { Prisma } from "@gatehouse/db";
import { authedProcedure } from "../../trpc/init.ts";
import { toIso } from "../shared.schema.ts";
import { ZAuditListInput, ZAuditListOutput } from "./list.schema.ts";

export const list = authedProcedure
  .input(ZAuditListInput)
  .output(ZAuditListOutput)
  .query(async ({ ctx, input }) => {
    const { actor } = ctx;
    let orgScope: Prisma.AuditEventWhereInput = {};
    if (input.organizationId) {
      if (!isOrgAdmin(actor, input.organizationId)) throw forbidden();
      orgScope = { organizationId: input.organizationId };
    } else if (!actor.isSystemAdmin) {
      if (actor.adminOrgIds.length === 0) throw forbidden();
      orgScope = { organizationId: { in: [...actor.adminOrgIds] } };
    }
    const sort = { sortBy: "createdAt", sortOrder: "desc" as const };
    const cursor = input.cursor ? decodeCursor(input.cursor, sort) : null;
    const where: Prisma.AuditEventWhereInput = {
      AND: [
        orgScope,
        input.actorId
          ? { OR: [{ actorUserId: input.actorId }, { actorServiceTokenId: input.actorId }] }
          : {},
        input.action ? { action: input.action } : {},
        input.targetType ? { targetType: input.targetType } : {},
        input.targetId ? { targetId: input.targetId } : {},
        input.from || input.to
          ? {
              createdAt: {
                ...(input.from ? { gte: new Date(input.from) } : {}),
                ...(input.to ? { lte: new Date(input.to) } : {}),
              },
            }
          : {},
        cursor
          ? {
              OR: [
                { createdAt: { lt: new Date(cursor.value) } },
                { createdAt: new Date(cursor.value), id: { lt: cursor.id } },
              ],
            }
          : {},
      ],
    };
    const rows = await ctx.db.prisma.auditEvent.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: input.pageSize + 1,
    });
    const page = rows.slice(0, input.pageSize);
    const userIds = [
      ...new Set(page.map((r) => r.actorUserId).filter((id): id is string => id !== null)),
    ];
    const users = userIds.length
      ? await ctx.db.prisma.user.findMany({
          where: { id: { in: userIds } },
          select: { id: true, email: true },
        })
      : [];
    const emailOf = new Map(users.map((u) => [u.id, u.email]));
    const last = page.at(-1);
    return {
      items: page.map((r) => ({
        id: r.id,
        action: r.action,
        actorUserId: r.actorUserId,
        actorServiceTokenId: r.actorServiceTokenId,
        actorEmail: r.actorUserId ? (emailOf.get(r.actorUserId) ?? null) : null,
        targetType: r.targetType,
        targetId: r.targetId,
        organizationId: r.organizationId,
        details: r.details,
        requestId: r.requestId,
        createdAt: toIso(r.createdAt),
      })),
      nextCursor:
        rows.length > input.pageSize && last
          ? encodeCursor({ ...sort, value: last.createdAt.toISOString(), id: last.id })
          : null,
    };
  });
