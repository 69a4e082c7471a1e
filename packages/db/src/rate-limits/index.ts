export * from "./buckets.ts";
