export * from "./fan-out.ts";
export * from "./inbox.ts";
export * from "./preferences.ts";
