export * from "./credentials.ts";
export * from "./public.ts";
export * from "./system-admins.ts";
