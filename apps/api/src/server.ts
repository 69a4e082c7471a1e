/**
 * Starts the HTTP server for an app and stops it gracefully: on stop, the listener closes,
 * in-flight requests finish (up to a deadline), then the caller closes the database.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { getRequestListener, type ServerType } from "@hono/node-server";
import { startSessionCache, type RunningSessionCache } from "./auth/session-cache.ts";
import type { AppDeps } from "./context.ts";
import { createApp, errorEnvelope, MAX_BATCH_SIZE, withMetrics } from "./http/app.ts";
import { createFastQueries } from "./http/fast-queries.ts";
import { securityHeaders } from "./http/security-headers.ts";

/**
 * Node refuses requests it cannot parse before the app sees them (a URL or headers over
 * its 16 KiB limit, e.g. a query whose input is too long for a GET; malformed HTTP) and
 * by default answers with an empty body. Answer like every other error instead: a JSON
 * body with a request id, the security headers, then close (the stream is unusable).
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  const response = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === "ECONNRESET" || !socket.writable || response?.headersSent) {
    socket.destroy();
    return;
  }
  const [status, reason, code, rpcCode, message] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? [
          431,
          "Request Header Fields Too Large",
          "PAYLOAD_TOO_LARGE",
          -32013,
          "Request URL or headers too large (limit 16 KiB)",
        ]
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "Request Timeout", "TIMEOUT", -32008, "Request not received in time"]
        : [400, "Bad Request", "BAD_REQUEST", -32600, "Malformed HTTP request"];
  const requestId = crypto.randomUUID();
  const body = JSON.stringify(
    errorEnvelope({ message, rpcCode, code, httpStatus: status }, requestId),
  );
  const headers = {
    "Content-Type": "application/json",
    "Content-Length": String(Buffer.byteLength(body)),
    "X-Request-Id": requestId,
    ...securityHeaders,
    Connection: "close",
  };
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  socket.end(`HTTP/1.1 ${status} ${reason}\r\n${head}\r\n${body}`);
}

export interface RunningServer {
  url: string;
  port: number;
  /**
   * The session cache this server started (null: off, or on PGlite). Tests that change
   * sessions, users or org roles behind the API's back call its sync() before asking again.
   */
  sessions: Pick<RunningSessionCache, "cache" | "sync"> | null;
  stop(deadlineMs?: number): Promise<void>;
}

export async function startHttpServer(
  deps: AppDeps,
  options: { port: number; host: string },
): Promise<RunningServer> {
  const sessions =
    deps.sessionCache || deps.config.sessionCacheMs === 0 || deps.db.backend === "pglite"
      ? null
      : startSessionCache(deps.db, { maxAgeMs: deps.config.sessionCacheMs });
  const appDeps = withMetrics(sessions ? { ...deps, sessionCache: sessions.cache } : deps);
  const app = createApp(appDeps);
  // Plain queries are answered straight from node:http (see http/fast-queries.ts); all
  // else, and any query that path does not take, goes through Hono and tRPC's adapter.
  const fastQueries = createFastQueries(appDeps, { maxBatchSize: MAX_BATCH_SIZE });
  const viaApp = getRequestListener(app.fetch, { hostname: options.host });
  const server: ServerType = http.createServer((req, res) => {
    if (!fastQueries(req, res)) void viaApp(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  server.on("clientError", answerClientError);
  const drain = keepAliveDrain(server);
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    url: `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`,
    port,
    sessions,
    async stop(deadlineMs = 10_000) {
      drain.start();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          if ("closeAllConnections" in server) server.closeAllConnections();
          resolve();
        }, deadlineMs);
        timer.unref();
        if ("closeIdleConnections" in server) server.closeIdleConnections();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      await sessions?.close();
    },
  };
}

/**
 * While stopping, keep-alive connections (a browser's, a load balancer's) must not keep
 * the process up: server.close() waits for every open connection, and an answered one
 * would otherwise idle until the keep-alive timeout, or keep bringing new requests until
 * the deadline cuts them off mid-flight. So every response still to be written, and any
 * request that arrives on an old connection, is answered with `Connection: close`, and a
 * connection is closed as soon as its last response is out.
 */
function keepAliveDrain(server: ServerType): { start(): void } {
  if (!(server instanceof http.Server)) return { start() {} };
  let stopping = false;
  const pending = new Set<http.ServerResponse>();
  const closeAfter = (res: http.ServerResponse): void => {
    if (!res.headersSent) res.setHeader("Connection", "close");
    // Headers already out (a response being streamed): close once it is idle.
    res.once("finish", () => setImmediate(() => server.closeIdleConnections()));
  };
  server.on("request", (_req: http.IncomingMessage, res: http.ServerResponse) => {
    if (stopping) return closeAfter(res);
    pending.add(res);
    res.once("close", () => pending.delete(res));
  });
  return {
    start() {
      stopping = true;
      for (const res of pending) closeAfter(res);
      pending.clear();
    },
  };
}
