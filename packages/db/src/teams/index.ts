/** Teams: access, listing, detail, members and leaving, blocks, create/update/delete, merge. */
export * from "./access.ts";
export * from "./blocks.ts";
export * from "./create.ts";
export * from "./delete.ts";
export * from "./detail.ts";
export * from "./ended.ts";
export * from "./leave.ts";
export * from "./list.ts";
export * from "./members.ts";
export * from "./merge.ts";
export * from "./merge-facts.ts";
export * from "./merge-run.ts";
export * from "./page.ts";
export * from "./regions.ts";
export * from "./update.ts";
