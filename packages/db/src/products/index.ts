export * from "./catalog.ts";
export * from "./team-products.ts";
export * from "./lock.ts";
