/**
 * Plain tRPC queries (GET, single or batched, JSON) answered straight from node:http.
 *
 * Why: through Hono's node adapter and tRPC's fetch adapter every request becomes a fetch
 * `Request` (headers copied, abort signals combined), tRPC's resolveResponse builds a
 * `Response`, and the adapter turns it back into a Node response. For a listing that is
 * about half of the API's CPU per request (measured per `teams.list` page: nearly twice the
 * CPU through the adapters as called directly), which kept one process well under the
 * requests a second the raw floor serves.
 *
 * What stays the same: the procedures run exactly as tRPC runs them (the same procedure
 * call with the same middlewares, input parsing and output validation), the context comes
 * from the same `createRequestContext`, errors are shaped by the router's own
 * `errorFormatter` through tRPC's `getErrorShape`, the status follows tRPC's rule (the
 * errors' status, 207 when a batch mixes them), and the headers are the adapters' (vary,
 * content type, session cookie) plus the app's (X-Request-Id, security headers).
 *
 * What it does not take: anything else. A request is answered here only when every path
 * names a query procedure, the input parses as JSON within the input limits, and nothing
 * asks for streaming; everything else (mutations, unknown paths, bad input, oversized
 * batches, HEAD, JSONL/SSE) goes through the adapters, which answer it as before.
 * apps/api/test/http/fast-queries.test.ts compares both paths answer for answer.
 */
import crypto from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AnyProcedure } from "@trpc/server";
import { getErrorShape, getTRPCErrorFromUnknown } from "@trpc/server/unstable-core-do-not-import";
import type { AppDeps, Context } from "../context.ts";
import { appRouter } from "../routers/index.ts";
import { requestIdScope } from "../trpc/init.ts";
import { checkJsonInputLimits } from "./input-limits.ts";
import { clientRequestIdOf, createRequestContext, logRequestError } from "./request-context.ts";
import { securityHeaders } from "./security-headers.ts";

const PREFIX = "/trpc/";

/**
 * Query procedures by path ("teams.list"). At run time `_def.procedures` is tRPC's flat
 * record of every procedure by dotted path (its declared type is the nested one).
 */
const queries = new Map<string, AnyProcedure>(
  Object.entries(appRouter._def.procedures as unknown as Record<string, AnyProcedure>).filter(
    ([, procedure]) => procedure._def.type === "query",
  ),
);

interface Call {
  path: string;
  procedure: AnyProcedure;
  input: unknown;
}

type Answer =
  | { result: { data: unknown } }
  | { error: { data?: { httpStatus?: unknown } } & Record<string, unknown> };

/** The calls of a request this path may answer, or null to leave it to the adapters. */
export function fastQueryCalls(
  req: IncomingMessage,
  maxBatchSize: number,
): { calls: Call[]; batch: boolean } | null {
  const url = req.url;
  if (req.method !== "GET" || !url?.startsWith(PREFIX)) return null;
  // Streaming (httpBatchStreamLink, subscriptions) is the adapters' business.
  if (req.headers["trpc-accept"] !== undefined || req.headers.accept?.includes("jsonl")) {
    return null;
  }
  const q = url.indexOf("?");
  const params = new URLSearchParams(q < 0 ? "" : url.slice(q + 1));
  if (params.has("connectionParams")) return null;
  let path: string;
  try {
    path = decodeURIComponent(url.slice(PREFIX.length, q < 0 ? undefined : q));
  } catch {
    return null;
  }
  const batch = params.get("batch") === "1";
  const paths = batch ? path.split(",") : [path];
  if (paths.length > maxBatchSize) return null;
  const text = params.get("input");
  if (text !== null && checkJsonInputLimits(text)) return null;
  let inputs: unknown;
  try {
    inputs = text ? JSON.parse(text) : undefined;
  } catch {
    return null;
  }
  if (batch && inputs !== undefined && (typeof inputs !== "object" || inputs === null)) return null;
  const calls: Call[] = [];
  for (const [index, callPath] of paths.entries()) {
    const procedure = queries.get(callPath);
    if (!procedure) return null;
    const input = batch
      ? inputs === undefined
        ? undefined
        : (inputs as Record<string, unknown>)[index]
      : inputs;
    calls.push({ path: callPath, procedure, input });
  }
  return { calls, batch };
}

/** tRPC's status rule: the one status of all answers, or 207 when they differ. */
function statusOf(answers: Answer[]): number {
  const statuses = new Set(
    answers.map((answer) => {
      if (!("error" in answer)) return 200;
      const status = answer.error.data?.httpStatus;
      return typeof status === "number" ? status : 500;
    }),
  );
  return statuses.size === 1 ? statuses.values().next().value! : 207;
}

/**
 * Returns a request listener's front: true when it took the request (and will answer it),
 * false to hand it to the adapters.
 */
export function createFastQueries(
  deps: AppDeps,
  options: { maxBatchSize: number },
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const config = appRouter._def._config;

  async function answer(req: IncomingMessage, res: ServerResponse, calls: Call[], batch: boolean) {
    const requestId = crypto.randomUUID();
    const clientRequestId = clientRequestIdOf(req.headers["x-request-id"]);
    const resHeaders = new Headers();
    const aborted = new AbortController();
    // Only a client that went away mid-answer aborts: aborting after every answer cost a
    // DOMException per request (2 % of the API's CPU on a listing).
    res.once("close", () => {
      if (!res.writableFinished) aborted.abort();
    });
    const answers = await requestIdScope.run(requestId, async () => {
      let ctx: Context | undefined;
      let contextError: Error | null = null;
      try {
        ctx = await createRequestContext(deps, {
          requestId,
          clientRequestId,
          header: (name) => {
            const value = req.headers[name];
            return Array.isArray(value) ? value.join(", ") : (value ?? null);
          },
          remoteAddress: req.socket.remoteAddress,
          resHeaders,
        });
      } catch (error) {
        // Answered for every call as tRPC does when createContext throws.
        contextError = getTRPCErrorFromUnknown(error);
      }
      return Promise.all(
        calls.map(async (call, batchIndex): Promise<Answer> => {
          try {
            if (contextError !== null) throw contextError;
            const data: unknown = await call.procedure({
              path: call.path,
              getRawInput: () => Promise.resolve(call.input),
              ctx,
              type: "query",
              signal: aborted.signal,
              batchIndex,
            });
            return { result: { data } };
          } catch (cause) {
            const error = getTRPCErrorFromUnknown(cause);
            logRequestError(deps, error, {
              path: call.path,
              type: "query",
              requestId,
              clientRequestId,
            });
            const shape = getErrorShape({
              config,
              ctx,
              error,
              input: call.input,
              path: call.path,
              type: "query",
            }) as { data?: { httpStatus?: unknown } } & Record<string, unknown>;
            return { error: shape };
          }
        }),
      );
    });
    const body = JSON.stringify(batch ? answers : answers[0]);
    const headers: Record<string, string | string[]> = {
      vary: "trpc-accept, accept",
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(body)),
      "X-Request-Id": requestId,
      ...securityHeaders,
    };
    const cookies = resHeaders.getSetCookie();
    if (cookies.length) headers["set-cookie"] = cookies;
    res.writeHead(statusOf(answers), headers);
    res.end(body);
  }

  return (req, res) => {
    const taken = fastQueryCalls(req, options.maxBatchSize);
    if (!taken) return false;
    answer(req, res, taken.calls, taken.batch).catch((error: unknown) => {
      // Only a failure to write the answer itself gets here (a procedure's error is an answer).
      deps.logger.error({ err: error }, "answering a query failed");
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end();
    });
    return true;
  };
}
