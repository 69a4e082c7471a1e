/**
 * tRPC's server-side caller on the app router, for tests that only check authorization
 * answers: no HTTP, no wire format, the same procedures and middlewares. The actor is
 * resolved from credentials exactly as a request's would be (the session or the service
 * token, with the person's current rights), so a test states who calls, not what their
 * actor looks like. A refused call rejects with the TRPCError; `outcomeOf` reads it.
 */
import { TRPCError } from "@trpc/server";
import { resolveServiceToken } from "../../src/auth/service-tokens.ts";
import { resolveSession } from "../../src/auth/sessions.ts";
import { createInnerContext } from "../../src/context.ts";
import { appRouter } from "../../src/routers/index.ts";
import type { Harness } from "./harness.ts";
import type { Credentials } from "./http.ts";

export type Caller = ReturnType<typeof appRouter.createCaller>;

/** A caller acting as whoever `credentials` authenticate (anonymous for null). */
export async function createCaller(h: Harness, credentials: Credentials): Promise<Caller> {
  const deps = { db: h.apiDb, config: h.config, clock: h.clock, logger: h.logger };
  const now = h.clock.now();
  if (credentials && "bearer" in credentials) {
    const actor = await resolveServiceToken(h.apiDb, credentials.bearer, now);
    return appRouter.createCaller(createInnerContext(deps, { actor }));
  }
  const resolved = credentials
    ? await resolveSession(h.apiDb, credentials.cookie, now, h.config.session)
    : null;
  return appRouter.createCaller(
    createInnerContext(deps, {
      actor: resolved?.actor ?? null,
      session: resolved?.session ?? null,
    }),
  );
}

/** How a call ends: "OK", or the refusal's tRPC code and message. */
export async function outcomeOf(
  call: Promise<unknown>,
): Promise<"OK" | { code: TRPCError["code"]; message: string }> {
  try {
    await call;
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return { code: error.code, message: error.message };
    throw error;
  }
}
