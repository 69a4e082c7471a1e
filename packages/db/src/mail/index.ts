export * from "./queue.ts";
export * from "./send.ts";
export * from "./outbox.ts";
