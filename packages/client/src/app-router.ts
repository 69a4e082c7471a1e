/**
 * Where the client's `AppRouter` type comes from. In the workspace: the API's own router
 * type (type-only, no server code at run time). The built package replaces this module by
 * a generated declaration (build.mjs) that spells out every procedure's input and output,
 * so a service outside the monorepo gets the same types without the API's sources.
 */
export type { AppRouter } from "@gatehouse/api";
