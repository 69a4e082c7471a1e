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
import { databaseMigrationState } from "@gatehouse/db";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppDeps, Context } from "../context.ts";
import { appRouter } from "../routers/index.ts";
import { observeRegionClients } from "../litellm/region-clients.ts";
import { Metrics } from "../metrics.ts";
import { requestIdScope } from "../trpc/init.ts";
import { isSameOriginRequest } from "./csrf.ts";
import { checkJsonInputLimits } from "./input-limits.ts";
import { openApiDocument } from "./openapi.ts";
import { clientRequestIdOf, createRequestContext, logRequestError } from "./request-context.ts";
import { securityHeaders } from "./security-headers.ts";
import { registerSsoRoutes } from "./sso.ts";

export const MAX_BATCH_SIZE = 20;
export const MAX_BODY_BYTES = 1024 * 1024;

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

/**
 * The deps with the app's metrics: every app counts (so a token can be added without code
 * changes); serving them is opt-in. Called twice, it keeps the first one's Metrics.
 */
export function withMetrics(inputDeps: AppDeps): AppDeps & { metrics: Metrics } {
  const metrics =
    inputDeps.metrics instanceof Metrics ? inputDeps.metrics : new Metrics(inputDeps.db);
  return { ...inputDeps, metrics };
}

export function createApp(inputDeps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  const deps = withMetrics(inputDeps);
  const { metrics } = deps;
  observeRegionClients(deps.db, (region) => metrics.litellmObserver(region));

  app.use("*", async (c, next) => {
    // The request id is always the server's: it is stored on audit events and quoted in
    // error bodies, so a client must not choose it (nor reuse another request's). A
    // client's own id, when well-formed, is kept apart, for correlating logs only.
    const requestId = crypto.randomUUID();
    c.set("requestId", requestId);
    c.set("clientRequestId", clientRequestIdOf(c.req.header("x-request-id")));
    await next();
    c.header("X-Request-Id", requestId);
    for (const [name, value] of Object.entries(securityHeaders)) c.header(name, value);
  });

  app.get("/healthz", async (c) => {
    try {
      const state = await databaseMigrationState(deps.db);
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
      const state = await databaseMigrationState(deps.db);
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
        createContext: ({ resHeaders }): Promise<Context> =>
          createRequestContext(deps, {
            requestId,
            clientRequestId: c.get("clientRequestId"),
            header: (name) => req.headers.get(name),
            remoteAddress: remoteAddressOf(c),
            resHeaders,
          }),
        onError({ error, path, type }) {
          logRequestError(deps, error, {
            path,
            type,
            requestId,
            clientRequestId: c.get("clientRequestId"),
          });
        },
      }),
    );
  });

  registerSsoRoutes(app, deps);

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

/** The peer's address as the socket saw it (the HTTP host may not know it). */
function remoteAddressOf(c: Parameters<typeof getConnInfo>[0]): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}
