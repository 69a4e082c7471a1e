/** Keys: access, listing, create, delete, blocks. */
export * from "./access.ts";
export * from "./blocks.ts";
export * from "./create.ts";
export * from "./delete.ts";
export * from "./list.ts";
export * from "./block-state.ts";
export * from "./lock.ts";
export * from "./rotation.ts";
export * from "./limits.ts";
