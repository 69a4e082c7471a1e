/**
 * The tRPC building blocks, and nothing else: the router factory, the approved base
 * procedures (public -> authed -> admin / orgAdmin) and the caller factory. Every
 * procedure in the API is built from one of these, so its gate is visible at a glance.
 *
 * Gates are positive: each passes only on proof (a resolved actor, the admin flag, an
 * ORG_ADMIN membership of the organization named in the input).
 */
import { forbidden, isOrgAdmin, type Actor } from "@gatehouse/core";
import { initTRPC, TRPCError } from "@trpc/server";
import { z } from "zod";
import type { Context } from "../context.ts";
import { DetailedTRPCError, toTRPCError } from "./errors.ts";

interface Issue {
  path: readonly PropertyKey[];
  message: string;
}

function issuesOf(cause: unknown): Issue[] | null {
  if (typeof cause !== "object" || cause === null || !("issues" in cause)) return null;
  const issues = (cause as { issues: unknown }).issues;
  return Array.isArray(issues) ? (issues as Issue[]) : null;
}

/** zod issues as `{ "field.path": ["message", ...] }`; the root is "_". */
export function fieldErrorsOf(issues: Issue[]): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join(".") || "_";
    (fields[key] ??= []).push(issue.message);
  }
  return fields;
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
        requestId: ctx?.requestId ?? null,
        fieldErrors: fieldErrors ?? null,
        details: error instanceof DetailedTRPCError ? (error.details ?? null) : null,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

/** Maps every failure through `toTRPCError` and logs what the caller cannot see. */
const errorMapping = t.middleware(async ({ ctx, next, path, type }) => {
  const result = await next();
  if (result.ok) return result;
  const original = result.error.code === "INTERNAL_SERVER_ERROR" ? result.error.cause : undefined;
  const error = original ? toTRPCError(original) : result.error;
  if (error.code === "INTERNAL_SERVER_ERROR" || error.code === "SERVICE_UNAVAILABLE") {
    ctx.log.error({ err: error.cause ?? error, path, type }, "procedure failed");
  }
  return { ...result, error };
});

export const publicProcedure = t.procedure.use(errorMapping);

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

export type AuthedContext = Context & { actor: Actor };
