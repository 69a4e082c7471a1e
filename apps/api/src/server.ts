/**
 * Starts the HTTP server for an app and stops it gracefully: on stop, the listener closes,
 * in-flight requests finish (up to a deadline), then the caller closes the database.
 */
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import type { AppDeps } from "./context.ts";
import { createApp } from "./http/app.ts";

export interface RunningServer {
  url: string;
  port: number;
  stop(deadlineMs?: number): Promise<void>;
}

export async function startHttpServer(
  deps: AppDeps,
  options: { port: number; host: string },
): Promise<RunningServer> {
  const app = createApp(deps);
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, () => resolve(s));
    s.once("error", reject);
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    url: `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`,
    port,
    stop(deadlineMs = 10_000) {
      return new Promise<void>((resolve) => {
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
    },
  };
}
