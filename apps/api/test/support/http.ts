/**
 * Calling the API the way curl or a non-TypeScript service would: tRPC's plain-JSON wire
 * format over real HTTP (fetch), or one raw node:http request when a header fetch refuses
 * to send matters. Answers are typed from the router (`Out<"teams.get">`).
 */
import http from "node:http";
import type { inferRouterOutputs } from "@trpc/server";
import { CSRF_HEADER } from "../../src/http/csrf.ts";
import type { AppRouter } from "../../src/routers/index.ts";

/** How a call authenticates: a session cookie, a bearer service token, or nothing. */
export type Credentials = { cookie: string } | { bearer: string } | null;

/** Value at a dotted path ("teams.get") of a nested record. */
type AtPath<T, P extends string> = P extends `${infer Head}.${infer Rest}`
  ? Head extends keyof T
    ? AtPath<T[Head], Rest>
    : never
  : P extends keyof T
    ? T[P]
    : never;

/**
 * What a procedure answers on the wire, by its dotted path: `callOk<Out<"teams.get">>(...)`.
 * Derived from the router (no transformer, so dates arrive as ISO strings), never re-typed
 * by hand in a test.
 */
export type Out<P extends string> = AtPath<inferRouterOutputs<AppRouter>, P>;

export interface CallResult<T = unknown> {
  status: number;
  ok: boolean;
  data: T;
  error: {
    message: string;
    data: {
      code: string;
      httpStatus: number;
      requestId: string | null;
      fieldErrors: Record<string, string[]> | null;
      details: Record<string, unknown> | null;
    };
  } | null;
  headers: Headers;
}

export interface CallOptions {
  credentials?: Credentials;
  /** Extra request headers (e.g. a hostile Origin). */
  headers?: Record<string, string>;
  /** Skip the same-origin header a browser or our client would send. */
  noCsrfHeader?: boolean;
}

/** Calls one procedure over HTTP: queries as GET, mutations as POST, no batching. */
export async function call<T = unknown>(
  baseUrl: string,
  type: "query" | "mutation",
  path: string,
  input: unknown,
  options: CallOptions = {},
): Promise<CallResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  const credentials = options.credentials;
  if (credentials && "cookie" in credentials) headers.cookie = `gh_session=${credentials.cookie}`;
  if (credentials && "bearer" in credentials)
    headers.authorization = `Bearer ${credentials.bearer}`;
  let response: Response;
  if (type === "query") {
    const qs = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    response = await fetch(`${baseUrl}/trpc/${path}${qs}`, { headers });
  } else {
    if (!options.noCsrfHeader) headers[CSRF_HEADER] = "1";
    headers["content-type"] = "application/json";
    response = await fetch(`${baseUrl}/trpc/${path}`, {
      method: "POST",
      headers,
      body: input === undefined ? undefined : JSON.stringify(input),
    });
  }
  const body = (await response.json()) as { result?: { data: T }; error?: CallResult["error"] };
  return {
    status: response.status,
    ok: response.ok,
    data: body.result?.data as T,
    error: body.error ?? null,
    headers: response.headers,
  };
}

/** Calls that must succeed: returns the data, or throws with the error (readable failures). */
export async function callOk<T>(
  baseUrl: string,
  type: "query" | "mutation",
  path: string,
  input: unknown,
  credentials: Credentials,
): Promise<T> {
  const result = await call<T>(baseUrl, type, path, input, { credentials });
  if (!result.ok)
    throw new Error(`${path} failed (${result.status}): ${JSON.stringify(result.error)}`);
  return result.data;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One HTTP request through node:http rather than fetch, because fetch silently drops a
 * `Host` header and the cookie/CSRF rules depend on it (a non-local Host means Secure +
 * `__Host-` cookies, and is the origin a same-origin request must match).
 */
export async function rawRequest(
  baseUrl: string,
  options: {
    method?: "GET" | "POST";
    path: string;
    headers?: Record<string, string>;
    body?: string;
  },
): Promise<RawResponse> {
  const url = new URL(options.path, baseUrl);
  return new Promise<RawResponse>((resolve, reject) => {
    const req = http.request(
      url,
      { method: options.method ?? "GET", headers: options.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}
