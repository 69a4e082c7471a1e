export * from "./directory.ts";
export * from "./membership.ts";
export * from "./sso.ts";
