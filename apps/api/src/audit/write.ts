/**
 * Audit events, written inside the same transaction as the change they describe, so a
 * change without its event (or an event without its change) cannot be committed.
 */
import { auditActor, type Actor } from "@gatehouse/core";
import type { Prisma } from "@gatehouse/db";

export interface AuditInput {
  action: string;
  targetType: string;
  targetId: string;
  organizationId?: string | null;
  details?: Prisma.InputJsonValue;
}

export async function writeAudit(
  tx: Prisma.TransactionClient,
  ctx: { actor: Actor | null; requestId: string; clock: { now(): Date } },
  event: AuditInput,
): Promise<void> {
  const who = ctx.actor ? auditActor(ctx.actor) : { actorUserId: null, actorServiceTokenId: null };
  await tx.auditEvent.create({
    data: {
      ...who,
      action: event.action,
      targetType: event.targetType,
      targetId: event.targetId,
      organizationId: event.organizationId ?? null,
      details: event.details ?? {},
      requestId: ctx.requestId,
      createdAt: ctx.clock.now(),
    },
  });
}
