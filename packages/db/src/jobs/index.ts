export * from "./enqueue.ts";
export * from "./queue.ts";
export * from "./status.ts";
