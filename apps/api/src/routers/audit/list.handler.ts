import { decodeCursor, encodeCursor, forbidden, isOrgAdmin } from "@gatehouse/core";
import { listAuditEvents, userEmails, type AuditEventFilter } from "@gatehouse/db";
import { authedProcedure } from "../../trpc/init.ts";
import { toIso } from "../shared.schema.ts";
import { ZAuditListInput, ZAuditListOutput } from "./list.schema.ts";

export const list = authedProcedure
  .input(ZAuditListInput)
  .output(ZAuditListOutput)
  .query(async ({ ctx, input }) => {
    const { actor } = ctx;
    let scope: AuditEventFilter["scope"] = null;
    if (input.organizationId) {
      if (!isOrgAdmin(actor, input.organizationId)) throw forbidden();
      scope = { organizationId: input.organizationId };
    } else if (!actor.isSystemAdmin) {
      if (actor.adminOrgIds.length === 0) throw forbidden();
      scope = { organizationIds: actor.adminOrgIds };
    }
    const sort = { sortBy: "createdAt", sortOrder: "desc" as const };
    const cursor = input.cursor ? decodeCursor(input.cursor, sort) : null;
    const rows = await listAuditEvents(ctx.db, {
      scope,
      actorId: input.actorId,
      action: input.action,
      targetType: input.targetType,
      targetId: input.targetId,
      from: input.from ? new Date(input.from) : undefined,
      to: input.to ? new Date(input.to) : undefined,
      after: cursor ? { createdAt: new Date(cursor.value), id: cursor.id } : null,
      take: input.pageSize + 1,
    });
    const page = rows.slice(0, input.pageSize);
    const userIds = [
      ...new Set(page.map((r) => r.actorUserId).filter((id): id is string => id !== null)),
    ];
    const emailOf = userIds.length ? await userEmails(ctx.db, userIds) : new Map<string, string>();
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
