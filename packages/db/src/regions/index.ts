export * from "./catalog.ts";
export * from "./demo.ts";
export * from "./leases.ts";
