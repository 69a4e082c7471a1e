/**
 * The HTTP surface: /healthz (liveness), /readyz (readiness), /metrics (Prometheus, only
 * with a token), /openapi.json, /trpc (plain JSON, no transformer, batches capped) and the
 * built SPA. Stateless: sessions, rate limits and jobs live in PostgreSQL, so any number
 * of instances can serve behind a load balancer.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import { getConnInfo } from "@hono/node-server/conninfo";
import { migrationState } from "@gatehouse/db";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { resolveServiceToken } from "../auth/service-tokens.ts";
import { resolveSession } from "../auth/sessions.ts";
import { createInnerContext, type AppDeps, type Context } from "../context.ts";
import { appRouter } from "../routers/index.ts";
import { toTRPCError } from "../trpc/errors.ts";
import { observeRegionClients } from "../litellm/region-clients.ts";
import { Metrics } from "../metrics.ts";
import { loggedErrors, requestIdScope } from "../trpc/init.ts";
import { isLocalHost, readSessionCookie, sessionCookieJar } from "./cookies.ts";
import { isSameOriginRequest } from "./csrf.ts";
import { checkJsonInputLimits } from "./input-limits.ts";
import { openApiDocument } from "./openapi.ts";
import { securityHeaders } from "./security-headers.ts";

export const MAX_BATCH_SIZE = 20;
export const MAX_BODY_BYTES = 1024 * 1024;
/** What a client's own X-Request-Id may look like to be kept (in logs only). */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

type Env = { Variables: { requestId: string; clientRequestId: string | null } };

/**
 * The body of an error answered outside a procedure (CSRF refusal, oversized body, an
 * unparseable HTTP request), shaped like the errorFormatter's so clients and logs handle
 * every error alike: always with the request id.
 */
export function errorEnvelope(
  error: { message: string; rpcCode: number; code: string; httpStatus: number },
  requestId: string,
): { error: { message: string; code: number; data: Record<string, unknown> } } {
  return {
    error: {
      message: error.message,
      code: error.rpcCode,
      data: {
        code: error.code,
        httpStatus: error.httpStatus,
        path: null,
        requestId,
        // Every BAD_REQUEST names a field; here the request as a whole.
        fieldErrors: error.code === "BAD_REQUEST" ? { _: [error.message] } : null,
        details: null,
      },
    },
  };
}

/** Compares a presented bearer token with the configured one in constant time. */
function tokenMatches(header: string | undefined, expected: string): boolean {
  const presented = header?.startsWith("Bearer ") ? header.slice(7).trim() : "";
  const a = crypto.createHash("sha256").update(presented).digest();
  const b = crypto.createHash("sha256").update(expected).digest();
  return crypto.timingSafeEqual(a, b) && presented.length > 0;
}

export function createApp(inputDeps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  // Every app counts (so a token can be added without code changes); serving is opt-in.
  const metrics =
    inputDeps.metrics instanceof Metrics ? inputDeps.metrics : new Metrics(inputDeps.db);
  const deps: AppDeps = { ...inputDeps, metrics };
  observeRegionClients(deps.db, (region) => metrics.litellmObserver(region));

  app.use("*", async (c, next) => {
    // The request id is always the server's: it is stored on audit events and quoted in
    // error bodies, so a client must not choose it (nor reuse another request's). A
    // client's own id, when well-formed, is kept apart, for correlating logs only.
    const requestId = crypto.randomUUID();
    const incoming = c.req.header("x-request-id");
    c.set("requestId", requestId);
    c.set("clientRequestId", incoming && CLIENT_REQUEST_ID.test(incoming) ? incoming : null);
    await next();
    c.header("X-Request-Id", requestId);
    for (const [name, value] of Object.entries(securityHeaders)) c.header(name, value);
  });

  app.get("/healthz", async (c) => {
    try {
      const state = await migrationState(deps.db.pool);
      const healthy = state.pending.length === 0 && state.failed.length === 0;
      return c.json(
        {
          status: healthy ? "ok" : "degraded",
          database: "reachable",
          migrations: {
            applied: state.applied.length,
            pending: state.pending,
            failed: state.failed,
          },
        },
        healthy ? 200 : 503,
      );
    } catch (error) {
      deps.logger.warn({ err: error }, "health check: database unreachable");
      return c.json({ status: "unavailable", database: "unreachable" }, 503);
    }
  });

  // Readiness: may this instance take traffic? Unlike /healthz (is the process alive), it
  // fails while the database is unreachable, migrations are pending or failed, or the
  // in-process worker has not gone round for longer than its lease (stuck).
  app.get("/readyz", async (c) => {
    const checks: Record<string, string> = {};
    let ready = true;
    try {
      const state = await migrationState(deps.db.pool);
      checks.database = "reachable";
      if (state.pending.length || state.failed.length || state.modified.length) {
        ready = false;
        checks.migrations = `pending: ${state.pending.length}, failed: ${state.failed.length}, modified: ${state.modified.length}`;
      } else {
        checks.migrations = "applied";
      }
    } catch (error) {
      deps.logger.warn({ err: error }, "readiness check: database unreachable");
      ready = false;
      checks.database = "unreachable";
    }
    const heartbeat = deps.jobs?.heartbeat?.();
    if (heartbeat) {
      const idleMs = Date.now() - heartbeat.lastActiveAt;
      const stuck = idleMs > heartbeat.leaseMs;
      if (stuck) ready = false;
      checks.worker = stuck
        ? `no claim for ${Math.round(idleMs / 1000)} s (lease ${heartbeat.leaseMs / 1000} s)`
        : "running";
    }
    return c.json({ status: ready ? "ready" : "not ready", checks }, ready ? 200 : 503);
  });

  // Never open by default: without GATEHOUSE_METRICS_TOKEN it does not exist here (a
  // separate listener, GATEHOUSE_METRICS_ADDRESS, may serve it instead).
  app.get("/metrics", async (c) => {
    const token = deps.config.metrics.token;
    if (!token) return c.json({ error: "not found" }, 404);
    if (!tokenMatches(c.req.header("authorization"), token)) {
      c.header("WWW-Authenticate", 'Bearer realm="metrics"');
      return c.json({ error: "unauthorized" }, 401);
    }
    const { contentType, body } = await metrics.render();
    return c.body(body, 200, { "Content-Type": contentType });
  });

  let openApi: string | null = null;
  app.get("/openapi.json", (c) => {
    openApi ??= JSON.stringify(openApiDocument(appRouter));
    return c.body(openApi, 200, { "Content-Type": "application/json" });
  });

  app.use(
    "/trpc/*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => {
        // The middleware's context is untyped; the id was set by the first middleware above.
        const requestId: unknown = c.get("requestId");
        return c.json(
          errorEnvelope(
            {
              message: `Request body too large (limit ${MAX_BODY_BYTES} bytes)`,
              rpcCode: -32013,
              code: "PAYLOAD_TOO_LARGE",
              httpStatus: 413,
            },
            typeof requestId === "string" ? requestId : crypto.randomUUID(),
          ),
          413,
        );
      },
    }),
  );

  app.all("/trpc/*", async (c) => {
    const req = c.req.raw;
    const requestId = c.get("requestId");
    if (req.method === "POST" && !isSameOriginRequest(req, deps.config.allowedOrigins)) {
      return c.json(
        errorEnvelope(
          {
            message: "Cross-origin request refused",
            rpcCode: -32003,
            code: "FORBIDDEN",
            httpStatus: 403,
          },
          requestId,
        ),
        403,
      );
    }
    // The input's shape is bounded before tRPC parses it and before any middleware walks
    // it (see input-limits.ts): the body of a mutation, the `input` of a query.
    const queryInput = new URL(req.url).searchParams.get("input");
    const body = req.method === "POST" ? await req.text() : null;
    for (const text of [queryInput, body]) {
      const violation = text ? checkJsonInputLimits(text) : null;
      if (violation) {
        return c.json(
          errorEnvelope(
            { message: violation.message, rpcCode: -32600, code: "BAD_REQUEST", httpStatus: 400 },
            requestId,
          ),
          400,
        );
      }
    }
    // The body was read above: tRPC gets the same request with the text as its body.
    const forwarded =
      body === null
        ? req
        : new Request(req.url, {
            method: req.method,
            headers: req.headers,
            signal: req.signal,
            ...(body ? { body } : {}),
          });
    // The scope lets errors raised before the context exists carry the request id too.
    return requestIdScope.run(requestId, () =>
      fetchRequestHandler({
        endpoint: "/trpc",
        req: forwarded,
        router: appRouter,
        maxBatchSize: MAX_BATCH_SIZE,
        createContext: async ({ resHeaders }): Promise<Context> => {
          const secure = !isLocalHost(req.headers.get("host") ?? undefined);
          const ip = clientAddress(c, deps.config.trustProxyHops);
          const base = {
            requestId,
            clientRequestId: c.get("clientRequestId"),
            ip,
            userAgent: req.headers.get("user-agent"),
            cookies: sessionCookieJar(resHeaders, secure),
          };
          const now = deps.clock.now();
          try {
            const bearer = req.headers.get("authorization");
            if (bearer?.startsWith("Bearer ")) {
              const actor = await resolveServiceToken(deps.db, bearer.slice(7).trim(), now);
              return createInnerContext(deps, { ...base, actor });
            }
            const token = readSessionCookie(req.headers.get("cookie"), secure);
            const resolved = token
              ? await resolveSession(deps.db, token, now, deps.config.session)
              : null;
            return createInnerContext(deps, {
              ...base,
              actor: resolved?.actor ?? null,
              session: resolved?.session ?? null,
            });
          } catch (error) {
            // Resolving the caller failed (database down). Public procedures still run;
            // gated ones raise this error, with the request id in the response body.
            return createInnerContext(deps, { ...base, actorError: toTRPCError(error) });
          }
        },
        onError({ error, path, type }) {
          // Failures inside a procedure were logged by its error middleware (with the
          // caller's context); log here only those raised before or around procedures.
          if (loggedErrors.has(error)) return;
          if (error.code === "INTERNAL_SERVER_ERROR" || error.code === "SERVICE_UNAVAILABLE") {
            const clientRequestId = c.get("clientRequestId");
            deps.logger.error(
              {
                err: error.cause ?? error,
                path,
                type,
                requestId,
                ...(clientRequestId ? { clientRequestId } : {}),
              },
              "request failed",
            );
          }
        },
      }),
    );
  });

  if (deps.config.webDist && fs.existsSync(path.join(deps.config.webDist, "index.html"))) {
    const root = path.relative(process.cwd(), deps.config.webDist);
    const indexHtml = fs.readFileSync(path.join(deps.config.webDist, "index.html"), "utf8");
    app.use("/assets/*", serveStatic({ root }));
    app.use("*", serveStatic({ root }));
    // Client-side routes: anything else that is a page gets the SPA.
    app.get("*", (c) => c.html(indexHtml));
  }

  return app;
}

/**
 * The client's address. Behind `hops` trusted proxies, each appends the address it saw to
 * X-Forwarded-For, so the client is the entry `hops` places from the right; everything
 * left of it was written by the client and proves nothing (taking the leftmost entry let
 * anyone open a fresh login rate-limit counter per request). With fewer entries than
 * hops, the leftmost is the best there is.
 */
export function forwardedClientAddress(header: string | undefined, hops: number): string | null {
  if (hops < 1 || !header) return null;
  const entries = header
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) return null;
  return entries[Math.max(0, entries.length - hops)]!.slice(0, 100);
}

function clientAddress(c: Parameters<typeof getConnInfo>[0], trustProxyHops: number): string {
  const forwarded = forwardedClientAddress(c.req.header("x-forwarded-for"), trustProxyHops);
  if (forwarded) return forwarded;
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}
