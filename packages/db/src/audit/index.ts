export { AUDIT_COLUMNS, auditValues, type AuditRow } from "./row.ts";
export { insertAudit, insertOperatorAudit, type OperatorAuditEvent } from "./insert.ts";
export { listAuditEvents, type AuditEventFilter } from "./list.ts";
