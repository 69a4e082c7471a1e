/**
 * The tRPC building blocks, and nothing else: the router factory, the approved base
 * procedures (public -> authed -> admin / orgAdmin / team). Every procedure in the API is built
 * from one of these, so its gate is visible at a glance.
 *
 * Gates are positive: each passes only on proof (a resolved actor, the admin flag, an
 * ORG_ADMIN membership of the organization named in the input, a team permission core grants).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { forbidden, isOrgAdmin, notFound, type TeamPermissions } from "@gatehouse/core";
import { initTRPC, TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { z } from "zod";
import type { Context } from "../context.ts";
import { DetailedTRPCError, toTRPCError } from "./errors.ts";
import { loadTeamAccess } from "./team-access.ts";

interface Issue {
  path: readonly PropertyKey[];
  message: string;
}

function issuesOf(cause: unknown): Issue[] | null {
  if (typeof cause !== "object" || cause === null || !("issues" in cause)) return null;
  const issues = cause.issues;
  return Array.isArray(issues) ? (issues as Issue[]) : null;
}

/**
 * The request id of the HTTP request being answered, for errors tRPC raises before any
 * context exists (a malformed batch, an oversized batch, an unsupported content type): the
 * formatter then has no `ctx`, yet every error body must carry the id the log uses.
 */
export const requestIdScope = new AsyncLocalStorage<string>();

/** zod issues as `{ "field.path": ["message", ...] }`; the root is "_". */
export function fieldErrorsOf(issues: Issue[]): Record<string, string[]> {
  // A Map, not an object literal: a field may be called "__proto__" or "constructor",
  // which an object would resolve to Object.prototype's members (and the formatter crash).
  const fields = new Map<string, string[]>();
  for (const issue of issues) {
    const key = issue.path.map(String).join(".") || "_";
    fields.set(key, [...(fields.get(key) ?? []), issue.message]);
  }
  return Object.fromEntries(fields);
}

/**
 * A BAD_REQUEST raised by a handler rather than by zod (an unreadable cursor, LiteLLM
 * refusing a value) still names its field, from the domain error's `details.field`, or the
 * input as a whole ("_"): clients show every bad-request message next to a field.
 */
function domainFieldErrors(error: TRPCError): Record<string, string[]> {
  const field = error instanceof DetailedTRPCError ? error.details?.field : undefined;
  return { [typeof field === "string" && field ? field : "_"]: [error.message] };
}

const t = initTRPC.context<Context>().create({
  isDev: false,
  errorFormatter({ shape, error, ctx }) {
    const issues = error.code === "BAD_REQUEST" ? issuesOf(error.cause) : null;
    const fieldErrors = issues ? fieldErrorsOf(issues) : undefined;
    const message = fieldErrors
      ? `Invalid input: ${Object.entries(fieldErrors)
          .map(([field, messages]) => `${field}: ${messages.join(", ")}`)
          .join("; ")}`
      : shape.message;
    return {
      message,
      code: shape.code,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        requestId: ctx?.requestId ?? requestIdScope.getStore() ?? null,
        fieldErrors:
          fieldErrors ?? (error.code === "BAD_REQUEST" ? domainFieldErrors(error) : null),
        details: error instanceof DetailedTRPCError ? (error.details ?? null) : null,
      },
    };
  },
});

export const router = t.router;

/**
 * Errors already logged by `errorMapping`, so the HTTP host's onError, which sees the same
 * error again, does not log it (and its stack) a second time.
 */
export const loggedErrors = new WeakSet<Error>();

/** Maps every failure through `toTRPCError` and logs what the caller cannot see, once. */
const errorMapping = t.middleware(async ({ ctx, next, path, type }) => {
  const result = await next();
  if (result.ok) return result;
  const original = result.error.code === "INTERNAL_SERVER_ERROR" ? result.error.cause : undefined;
  const error = original ? toTRPCError(original) : result.error;
  if (error.code === "INTERNAL_SERVER_ERROR" || error.code === "SERVICE_UNAVAILABLE") {
    ctx.log.error({ err: error.cause ?? error, path, type }, "procedure failed");
    loggedErrors.add(error);
  }
  return { ...result, error };
});

/** Reports each call's duration and outcome (after error mapping) to the app's metrics. */
const measure = t.middleware(async ({ ctx, next, path, type }) => {
  if (!ctx.metrics) return next();
  const started = performance.now();
  const result = await next();
  ctx.metrics.observeProcedure({
    path,
    type,
    durationMs: performance.now() - started,
    httpStatus: result.ok ? 200 : getHTTPStatusCodeFromError(result.error),
    errorCode: result.ok ? null : result.error.code,
    output: result.ok ? result.data : undefined,
  });
  return result;
});

/** A UTF-16 surrogate without its pair (in `u` mode a proper pair is one code point). */
const LONE_SURROGATE = /\p{Cs}/u;

const isUnstorable = (text: string): boolean =>
  text.includes("\u0000") || LONE_SURROGATE.test(text);

interface Visit {
  value: unknown;
  key: string | null;
  parent: Visit | null;
}

/**
 * The path of the first string (value or key) that cannot be stored as text, or null.
 * Iterative with an explicit stack, and each node keeps only a link to its parent (the
 * path is built once, for the finding): linear in the input's size at any depth. The
 * HTTP host bounds depth and size before this runs (http/input-limits.ts); calls made
 * in-process (createCaller) rely on this walk alone.
 */
export function unstorableTextPath(root: unknown): PropertyKey[] | null {
  const stack: Visit[] = [{ value: root, key: null, parent: null }];
  for (let visit = stack.pop(); visit; visit = stack.pop()) {
    const { value } = visit;
    if (typeof value === "string") {
      if (isUnstorable(value)) return pathOf(visit);
    } else if (typeof value === "object" && value !== null) {
      const entries: Array<[string, unknown]> = Object.entries(value);
      // Pushed last to first, so the first offending field in input order is reported.
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, item] = entries[i]!;
        stack.push({ value: item, key, parent: visit });
      }
      for (const [key] of entries) {
        if (isUnstorable(key)) return pathOf({ value: key, key, parent: visit });
      }
    }
  }
  return null;
}

function pathOf(visit: Visit): PropertyKey[] {
  const path: PropertyKey[] = [];
  for (let at: Visit | null = visit; at && at.key !== null; at = at.parent) path.push(at.key);
  return path.reverse();
}

/**
 * Text PostgreSQL cannot store or compare (a NUL character) and text that is not valid
 * Unicode (an unpaired surrogate, which Prisma's engine refuses to encode) pass zod's
 * `z.string()` but then fail deep in a query as an internal error. Refuse both at the edge,
 * for every procedure, as a field-level BAD_REQUEST.
 */
const rejectUnstorableText = t.middleware(async ({ getRawInput, next }) => {
  // Unreadable input is the input parser's to report, after the role gates as before.
  const raw = await getRawInput().catch(() => undefined);
  const path = unstorableTextPath(raw);
  if (path) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: "Text must be valid Unicode without NUL characters",
      cause: Object.assign(new Error("unstorable text in input"), {
        issues: [{ path, message: "must be valid Unicode text without NUL characters" }],
      }),
    });
  }
  return next();
});

/**
 * A mutation may have ended sessions or changed roles. Other instances hear of it from the
 * database a few milliseconds after the commit (auth/session-cache.ts); this one drops its
 * cached sessions before answering, so the caller's next request never sees the old state.
 */
const dropCachedSessions = t.middleware(async ({ ctx, next, type }) => {
  if (type !== "mutation" || !ctx.sessionCache) return next();
  try {
    return await next();
  } finally {
    ctx.sessionCache.clear();
  }
});

/**
 * Wakes the in-process worker once a mutation has succeeded: whatever jobs it queued are
 * committed by then, so the worker claims them at once instead of at its next poll. One
 * place for every procedure; a mutation that queued nothing costs the worker one claim, and
 * bursts of mutations coalesce into the claim under way. Work that must reach the proxy
 * before a mutation returns, or that a failing mutation leaves queued, nudges by itself.
 */
const nudgeWorker = t.middleware(async ({ ctx, next, type }) => {
  const result = await next();
  if (type === "mutation" && result.ok) ctx.jobs?.nudge();
  return result;
});

export const publicProcedure = t.procedure
  .use(measure)
  .use(dropCachedSessions)
  .use(nudgeWorker)
  .use(errorMapping)
  .use(rejectUnstorableText);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (ctx.actorError) throw ctx.actorError;
  if (!ctx.actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first" });
  return next({ ctx: { actor: ctx.actor } });
});

export const adminProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.actor.isSystemAdmin !== true) throw forbidden("System administrators only");
  return next();
});

/**
 * For procedures whose input names one organization: passes system admins and that
 * organization's admins (including a service token scoped to it), and puts the
 * organization id on ctx.
 */
export const orgAdminProcedure = authedProcedure
  .input(z.object({ organizationId: z.uuid() }))
  .use(({ ctx, input, next }) => {
    if (!isOrgAdmin(ctx.actor, input.organizationId)) {
      throw forbidden("Organization administrators only");
    }
    return next({ ctx: { organizationId: input.organizationId } });
  });

/**
 * For procedures whose input names one team: loads the team with the caller's role and
 * core's permissions, passes only when `permission` is granted, and puts that access on
 * ctx (`ctx.teamAccess`). A caller who may not even see the team gets NOT_FOUND, exactly
 * as for an unknown id, so ids cannot be probed; FORBIDDEN is for callers who see the team
 * but may not do this.
 *
 * It takes the procedure's whole input schema (not only `teamId`) so the input is parsed
 * in full before the gate, as for every other procedure: bad input is a field error
 * whoever asks.
 */
export function teamProcedure<S extends z.ZodType<{ teamId: string }>>(
  permission: keyof TeamPermissions,
  input: S,
) {
  return authedProcedure.input(input).use(async ({ ctx, input: parsed, next }) => {
    const teamAccess = await loadTeamAccess(ctx.db, ctx.actor, parsed.teamId);
    if (!teamAccess.permissions.view) throw notFound("Team");
    if (!teamAccess.permissions[permission]) throw forbidden();
    return next({ ctx: { teamAccess } });
  });
}
