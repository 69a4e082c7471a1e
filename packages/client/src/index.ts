/**
 * @gatehouse/client: the typed client internal services use to call Gatehouse.
 *
 * It speaks the API's wire format exactly (plain JSON, no data transformer, batches capped
 * at the server's limit) and authenticates with a service token. `AppRouter` is imported
 * as a type only, so no server code ends up in a service that imports this package.
 */
import {
  createTRPCClient,
  httpBatchLink,
  isTRPCClientError,
  type TRPCClient,
  type TRPCClientError,
} from "@trpc/client";
import type { AppRouter } from "./app-router.ts";

export type { AppRouter };
export { TRPCClientError } from "@trpc/client";

/**
 * The server refuses batches of more than this many calls (apps/api `MAX_BATCH_SIZE`);
 * the link splits larger bursts into several requests instead of getting a 400.
 */
export const MAX_BATCH_ITEMS = 20;

/** Header that marks a request as coming from our own code (apps/api `CSRF_HEADER`). */
export const CSRF_HEADER = "x-gatehouse-csrf";

/**
 * Queries travel as GET with their inputs in the URL; Node's HTTP server refuses request
 * heads over 16 KiB, so batches whose URL would pass this are split.
 */
const MAX_URL_LENGTH = 8_000;

type HeaderMap = Record<string, string>;

export interface GatehouseClientOptions {
  /** Base URL of the Gatehouse server, e.g. `https://gatehouse.internal`; `/trpc` is added. */
  url: string;
  /** A service token (`ghst_...`), sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** A fetch implementation (tests, proxies, instrumentation); defaults to the global one. */
  fetch?: typeof globalThis.fetch;
  /** Extra headers for every request, or a function giving them (e.g. a trace id). */
  headers?: HeaderMap | (() => HeaderMap | Promise<HeaderMap>);
}

export type GatehouseClient = TRPCClient<AppRouter>;

/**
 * A refusal or failure from Gatehouse. `error.data` carries the server's `code`,
 * `httpStatus`, `requestId` (quote it when reporting a problem) and, for bad input,
 * `fieldErrors` by field path.
 */
export type GatehouseClientError = TRPCClientError<AppRouter>;

export function isGatehouseClientError(error: unknown): error is GatehouseClientError {
  return isTRPCClientError<AppRouter>(error);
}

/** `https://host` and `https://host/trpc` (with or without a trailing slash) both work. */
function trpcEndpoint(url: string): string {
  const base = url.replace(/\/+$/, "");
  return base.endsWith("/trpc") ? base : `${base}/trpc`;
}

export function createGatehouseClient(options: GatehouseClientOptions): GatehouseClient {
  const { token, headers } = options;
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: trpcEndpoint(options.url),
        maxItems: MAX_BATCH_ITEMS,
        maxURLLength: MAX_URL_LENGTH,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        async headers() {
          const extra = typeof headers === "function" ? await headers() : (headers ?? {});
          return {
            ...extra,
            // Last, so caller-supplied headers cannot drop them by accident. The CSRF header
            // only matters for cookie-authenticated calls (bearer calls are exempt), but it is
            // harmless otherwise and lets a caller that forwards a session cookie work too.
            [CSRF_HEADER]: "1",
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          };
        },
      }),
    ],
  });
}

/*
 * Inferred input and output types of every procedure, by path:
 * `RouterInputs["users"]["create"]`, `RouterOutputs["auth"]["me"]`. Derived from the
 * client's own types because @trpc/server (home of `inferRouterInputs`) is not a
 * dependency of this package.
 */
type ProcedureInputs<T> = {
  [K in keyof T]: T[K] extends { query: (input: infer I, ...rest: never[]) => unknown }
    ? I
    : T[K] extends { mutate: (input: infer I, ...rest: never[]) => unknown }
      ? I
      : ProcedureInputs<T[K]>;
};

type ProcedureOutputs<T> = {
  [K in keyof T]: T[K] extends { query: (...args: never[]) => Promise<infer O> }
    ? O
    : T[K] extends { mutate: (...args: never[]) => Promise<infer O> }
      ? O
      : ProcedureOutputs<T[K]>;
};

export type RouterInputs = ProcedureInputs<GatehouseClient>;
export type RouterOutputs = ProcedureOutputs<GatehouseClient>;
