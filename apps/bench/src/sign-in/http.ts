/**
 * One timed HTTP exchange on a keep-alive socket, with a body and the response headers
 * (load.ts's `request` is GET-only and drops headers; a sign-in needs both).
 */
import http from "node:http";

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

export interface Exchange {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  ms: number;
}

export function exchange(
  url: URL,
  options: { method?: "GET" | "POST"; headers?: Record<string, string>; body?: string } = {},
): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = http.request(
      url,
      { method: options.method ?? "GET", headers: options.headers ?? {}, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
            ms: performance.now() - start,
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

/** `name=value` of each Set-Cookie, for sending back as one Cookie header. */
export function cookiesOf(headers: http.IncomingHttpHeaders): string[] {
  return (headers["set-cookie"] ?? []).map((c) => c.split(";")[0]!.trim());
}

/** tRPC mutations over plain HTTP, as a browser sends them (same-origin header, cookie). */
const CSRF_HEADER = "x-gatehouse-csrf";

export interface ApiClient {
  base: URL;
  mutation<T>(
    path: string,
    input: unknown,
    cookie?: string,
  ): Promise<{ status: number; data: T; ms: number; setCookie: string[] }>;
}

export function apiClient(base: URL): ApiClient {
  return {
    base,
    async mutation<T>(procedure: string, input: unknown, cookie?: string) {
      const res = await exchange(new URL(`/trpc/${procedure}`, base), {
        method: "POST",
        headers: {
          "content-type": "application/json",
          [CSRF_HEADER]: "1",
          ...(cookie ? { cookie: `gh_session=${cookie}` } : {}),
        },
        body: JSON.stringify(input),
      });
      const parsed = JSON.parse(res.body) as { result?: { data: T }; error?: unknown };
      if (res.status !== 200)
        throw new Error(`${procedure} failed (${res.status}): ${JSON.stringify(parsed.error)}`);
      return {
        status: res.status,
        data: parsed.result!.data,
        ms: res.ms,
        setCookie: res.headers["set-cookie"] ?? [],
      };
    },
  };
}
