export * from "./generated/prisma/client.ts";
export { createDatabase, namedStatement, type Database, type DatabaseOptions } from "./client.ts";
export { transaction, type Tx } from "./transaction.ts";
export { EMBEDDED_POOL_MAX, startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded.ts";
export { DatabaseConfigError } from "./errors.ts";
export {
  applyMigrations,
  migrationState,
  readMigrations,
  type Migration,
  type MigrationState,
} from "./migrate.ts";
export { openDatabase, embeddedDataDir, redactUrl, repoRoot, type OpenedDatabase } from "./open.ts";
export * from "./teams/list.ts";
export * from "./teams/detail.ts";
export * from "./jobs/index.ts";
export * from "./teams/merge.ts";
export * from "./teams/members.ts";
export * from "./teams/leave.ts";
export * from "./teams/create.ts";
export * from "./teams/ended.ts";
export type { AuditRow } from "./audit.ts";
export * from "./orgs/membership.ts";
export * from "./users/system-admins.ts";
export * from "./teams/locks.ts";
export * from "./products/lock.ts";
export * from "./keys/lock.ts";
export * from "./keys/create.ts";
export * from "./blocks.ts";
export * from "./regions/leases.ts";
export * from "./auth-changes.ts";
export {
  seedDemo,
  demoSeedFacts,
  type SeedCredential,
  type SeedDemoOptions,
  type SeedDemoResult,
} from "./seed.ts";
export {
  generateData,
  generatedSizes,
  generatedTables,
  DatabaseNotEmptyError,
  BENCH_EMAIL_DOMAIN,
  type GenerateDataOptions,
  type GenerateDataResult,
  type GeneratedSizes,
  type GeneratedTable,
} from "./generate.ts";
export * from "./teams/entitlement.ts";
export * from "./teams/block-state.ts";
export * from "./teams/expiry.ts";
export * from "./teams/renewal.ts";
export * from "./keys/block-state.ts";
export * from "./spend/index.ts";
export * from "./secrets/sealed.ts";
