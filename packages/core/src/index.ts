export * from "./errors.ts";
export * from "./expiry.ts";
export * from "./litellm-identity.ts";
export * from "./roles.ts";
export * from "./email.ts";
