/** Reconciliation: its lease and last report, the scan's reads, repair progress. */
export * from "./lease.ts";
export * from "./scan.ts";
export * from "./status.ts";
