/**
 * An audit_events row as the API builds it (apps/api/src/audit/write.ts `auditRow`), for
 * data-access functions that insert the event in the same statement as the change it
 * describes (one round trip instead of a transaction of several).
 */
import type { Prisma } from "../generated/prisma/client.ts";

export interface AuditRow {
  actorUserId: string | null;
  actorServiceTokenId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  organizationId: string | null;
  details: Prisma.InputJsonValue;
  requestId: string;
  createdAt: Date;
}

/** The columns `auditValues` fills, in its order (target_id last: a caller may compute it). */
export const AUDIT_COLUMNS =
  "actor_user_id, actor_service_token_id, action, target_type, organization_id, details, request_id, created_at, target_id";

/**
 * The SQL expressions for `AUDIT_COLUMNS` but target_id, as parameters from `$first` on,
 * and their values. The details are stored as Prisma stores a Json field (JSON text);
 * `moreDetails`, a jsonb SQL expression, adds keys only the statement knows (e.g. the role
 * it read under a lock).
 */
export function auditValues(
  audit: Omit<AuditRow, "targetId">,
  first: number,
  moreDetails?: string,
): { sql: string; values: unknown[] } {
  const p = (i: number) => `$${first + i}`;
  const details = moreDetails ? `${p(5)}::jsonb || ${moreDetails}` : `${p(5)}::jsonb`;
  return {
    sql: `${p(0)}::uuid, ${p(1)}::uuid, ${p(2)}, ${p(3)}, ${p(4)}::uuid, ${details}, ${p(6)}, ${p(7)}::timestamptz`,
    values: [
      audit.actorUserId,
      audit.actorServiceTokenId,
      audit.action,
      audit.targetType,
      audit.organizationId,
      JSON.stringify(audit.details),
      audit.requestId,
      audit.createdAt,
    ],
  };
}
