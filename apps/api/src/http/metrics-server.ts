/**
 * GATEHOUSE_METRICS_ADDRESS: a listener of its own that serves only GET /metrics, without
 * a token, for a network that only the monitoring system reaches (the API's port stays
 * free of it). Used by the API process and by standalone workers.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Metrics } from "../metrics.ts";

export interface MetricsServer {
  url: string;
  stop(): Promise<void>;
}

export async function startMetricsServer(
  metrics: Metrics,
  address: { host: string; port: number },
): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    if (req.method !== "GET" || req.url?.split("?")[0] !== "/metrics") {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("not found\n");
      return;
    }
    metrics.render().then(
      ({ contentType, body }) => res.writeHead(200, { "Content-Type": contentType }).end(body),
      () => res.writeHead(500, { "Content-Type": "text/plain" }).end("metrics collection failed\n"),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(address.port, address.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = address.host.includes(":") ? `[${address.host}]` : address.host;
  return {
    url: `http://${host}:${port}/metrics`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
