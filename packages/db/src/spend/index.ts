/**
 * Spend snapshots: what the spend sync writes and its lease, what the API reads, the billing
 * report's reads and the retention prune.
 */
export * from "./write.ts";
export * from "./read.ts";
export * from "./report.ts";
export * from "./prune.ts";
export * from "./backfill.ts";
export * from "./sync-lease.ts";
