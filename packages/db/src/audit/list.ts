/** The audit trail, newest first, keyset-paged on (created_at, id). */
import type { Database } from "../client.ts";
import type { AuditEvent, Prisma } from "../generated/prisma/client.ts";

export interface AuditEventFilter {
  /** Whose events: one organization's, several, or (null) everyone's. */
  scope: { organizationId: string } | { organizationIds: readonly string[] } | null;
  /** A user or a service token. */
  actorId?: string | undefined;
  action?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** The last event of the previous page. */
  after?: { createdAt: Date; id: string } | null;
  take: number;
}

export function listAuditEvents(
  db: Pick<Database, "prisma">,
  filter: AuditEventFilter,
): Promise<AuditEvent[]> {
  const { scope, after } = filter;
  const where: Prisma.AuditEventWhereInput = {
    AND: [
      !scope
        ? {}
        : "organizationId" in scope
          ? { organizationId: scope.organizationId }
          : { organizationId: { in: [...scope.organizationIds] } },
      filter.actorId
        ? { OR: [{ actorUserId: filter.actorId }, { actorServiceTokenId: filter.actorId }] }
        : {},
      filter.action ? { action: filter.action } : {},
      filter.targetType ? { targetType: filter.targetType } : {},
      filter.targetId ? { targetId: filter.targetId } : {},
      filter.from || filter.to
        ? {
            createdAt: {
              ...(filter.from ? { gte: filter.from } : {}),
              ...(filter.to ? { lte: filter.to } : {}),
            },
          }
        : {},
      after
        ? {
            OR: [
              { createdAt: { lt: after.createdAt } },
              { createdAt: after.createdAt, id: { lt: after.id } },
            ],
          }
        : {},
    ],
  };
  return db.prisma.auditEvent.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: filter.take,
  });
}
