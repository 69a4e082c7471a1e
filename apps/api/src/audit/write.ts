/**
 * Audit events, written inside the same transaction as the change they describe, so a
 * change without its event (or an event without its change) cannot be committed.
 */
import { auditActor, type AuditActor } from "@gatehouse/core";
import { insertAudit, type AuditRow, type Prisma, type Tx } from "@gatehouse/db";

export interface AuditInput {
  action: string;
  targetType: string;
  targetId: string;
  organizationId?: string | null;
  details?: Prisma.InputJsonValue;
}

type AuditContext = { actor: AuditActor | null; requestId: string; clock: { now(): Date } };

/**
 * The row an event is stored as. Also given to the data-access functions that insert the
 * event in the same statement as their change (packages/db teams/members.ts, create.ts).
 */
export function auditRow(ctx: AuditContext, event: AuditInput): AuditRow {
  const who = ctx.actor ? auditActor(ctx.actor) : { actorUserId: null, actorServiceTokenId: null };
  return {
    ...who,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    organizationId: event.organizationId ?? null,
    details: event.details ?? {},
    requestId: ctx.requestId,
    createdAt: ctx.clock.now(),
  };
}

export function writeAudit(tx: Tx, ctx: AuditContext, event: AuditInput): Promise<void> {
  return insertAudit(tx, auditRow(ctx, event));
}
