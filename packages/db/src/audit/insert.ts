/**
 * Inserting audit events. The API's events go in the transaction of the change they
 * describe (a change without its event cannot commit); operator commands write theirs alone.
 */
import type { Database } from "../client.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import type { Tx } from "../transaction.ts";
import type { AuditRow } from "./row.ts";

export async function insertAudit(tx: Tx, row: AuditRow): Promise<void> {
  await tx.auditEvent.create({ data: row });
}

/** An event of an operator command (the CLI): no actor, no request; stamped by the database. */
export interface OperatorAuditEvent {
  action: string;
  targetType: string;
  targetId: string;
  details: Prisma.InputJsonValue;
}

export async function insertOperatorAudit(
  db: Pick<Database, "prisma">,
  event: OperatorAuditEvent,
): Promise<void> {
  await db.prisma.auditEvent.create({ data: event });
}
