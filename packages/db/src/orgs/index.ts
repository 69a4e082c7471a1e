export * from "./directory.ts";
export * from "./membership.ts";
