/**
 * A small HTTP load generator on keep-alive sockets: sequential latency runs (p50/p95/p99)
 * and fixed-concurrency throughput runs. Dependency-free so that what is measured is the
 * servers, not a tool's overhead we cannot see.
 */
import http from "node:http";

export interface LatencySummary {
  requests: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

export interface Target {
  port: number;
  path: string;
  headers: Record<string, string>;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

export function request(target: Target): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port: target.port, path: target.path, headers: target.headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
        );
      },
    );
    req.on("error", reject);
    req.end();
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function summarize(latencies: number[], errors: number): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    requests: latencies.length,
    errors,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    mean: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)),
  };
}

/** `count` requests one after another (after `warmup` unmeasured ones). */
export async function sequential(
  target: Target | (() => Target),
  count: number,
  warmup = 10,
): Promise<LatencySummary> {
  const next = typeof target === "function" ? target : () => target;
  for (let i = 0; i < warmup; i++) await request(next());
  const latencies: number[] = [];
  let errors = 0;
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    try {
      const res = await request(next());
      if (res.status !== 200) errors++;
    } catch {
      errors++;
    }
    latencies.push(performance.now() - start);
  }
  return summarize(latencies, errors);
}

/** `clients` loops in parallel for `durationMs`: throughput and latency under load. */
export async function concurrent(
  target: Target | (() => Target),
  clients: number,
  durationMs: number,
): Promise<LatencySummary & { rps: number }> {
  const next = typeof target === "function" ? target : () => target;
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + durationMs;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const start = performance.now();
        try {
          const res = await request(next());
          if (res.status !== 200) errors++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - start);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { ...summarize(latencies, errors), rps: Math.round(latencies.length / seconds) };
}
