export * from "./store.ts";
export * from "./sign-in.ts";
export * from "./sync.ts";
