/** audit.list with filters, newest first, paged by cursor. */
import { auditPagesQueryOptions, type AuditListInput } from "@/lib/audit-pages.ts";
import type { AuditSearch } from "../search.ts";

export const AUDIT_PAGE_SIZE = 50;

export function auditInput(search: AuditSearch): AuditListInput {
  return {
    pageSize: AUDIT_PAGE_SIZE,
    ...(search.action ? { action: search.action } : {}),
    ...(search.actorId ? { actorId: search.actorId } : {}),
    ...(search.targetType ? { targetType: search.targetType } : {}),
    ...(search.targetId ? { targetId: search.targetId } : {}),
    ...(search.org ? { organizationId: search.org } : {}),
    ...(search.from ? { from: search.from } : {}),
    ...(search.to ? { to: search.to } : {}),
  };
}

export const auditInfiniteQueryOptions = (search: AuditSearch) =>
  auditPagesQueryOptions(auditInput(search));
