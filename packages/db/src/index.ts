export * from "./generated/prisma/client.ts";
export { createDatabase, namedStatement, type Database, type DatabaseOptions } from "./client.ts";
export { transaction, type Tx } from "./transaction.ts";
export { EMBEDDED_POOL_MAX, startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded.ts";
export { DatabaseConfigError } from "./errors.ts";
export {
  applyMigrations,
  migrationState,
  databaseMigrationState,
  readMigrations,
  type Migration,
  type MigrationState,
} from "./migrate.ts";
export { openDatabase, embeddedDataDir, redactUrl, repoRoot, type OpenedDatabase } from "./open.ts";
export * from "./teams/index.ts";
export * from "./jobs/index.ts";
export {
  insertAudit,
  insertOperatorAudit,
  listAuditEvents,
  type AuditEventFilter,
  type AuditRow,
  type OperatorAuditEvent,
} from "./audit/index.ts";
export * from "./orgs/index.ts";
export * from "./users/index.ts";
export * from "./sessions/index.ts";
export * from "./service-tokens/index.ts";
export * from "./rate-limits/index.ts";
export * from "./products/index.ts";
export * from "./metrics/index.ts";
export * from "./keys/index.ts";
export * from "./regions/index.ts";
export * from "./spend/index.ts";
export * from "./reconcile/index.ts";
export * from "./secrets/sealed.ts";
export * from "./invitations/index.ts";
export * from "./password-resets/index.ts";
export * from "./mail/index.ts";
export * from "./identity-providers/index.ts";
export * from "./events/index.ts";
export * from "./webhooks/index.ts";
