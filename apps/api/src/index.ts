export type { AppRouter } from "./routers/index.ts";
export { appRouter } from "./routers/index.ts";
export { createApp, MAX_BATCH_SIZE } from "./http/app.ts";
export { startHttpServer, type RunningServer } from "./server.ts";
export { createInnerContext, type AppDeps, type Context } from "./context.ts";
export { loadConfig, type AppConfig } from "./config.ts";
export { createCallerFactory } from "./trpc/init.ts";
export { ManualClock, systemClock, type Clock } from "./clock.ts";
export { CSRF_HEADER } from "./http/csrf.ts";
