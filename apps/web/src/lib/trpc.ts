/**
 * The one tRPC options proxy of the app, its client and the QueryClient. No data
 * transformer (the API sends plain JSON, dates as ISO strings). Batches are capped at the
 * server's limit (20), mutations carry the CSRF header, and the session cookie rides on
 * same-origin requests. Any 401 is reported to session-expiry, which sends the person to
 * the login page and back.
 */
import type { AppRouter } from "@gatehouse/api";
import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { errorInfo } from "./errors.ts";
import { reportUnauthorized } from "./session-expiry.ts";

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/** The server's MAX_BATCH_SIZE: a longer batch would be refused whole. */
export const MAX_BATCH_ITEMS = 20;
export const CSRF_HEADER = "x-gatehouse-csrf";

function onError(error: unknown): void {
  if (errorInfo(error).httpStatus === 401) reportUnauthorized();
}

declare module "@tanstack/react-query" {
  interface Register {
    /** `refresh: false`: the mutation refreshes what it changed itself (or nothing). */
    mutationMeta: { refresh?: false };
  }
}

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({
      onError,
      // Every change refreshes what is on screen: active queries refetch, the others turn
      // stale. One rule instead of each mutation listing what it touched (a product edit
      // changes team entitlements, a key changes its team's counts and audit trail...).
      // Awaited, so a mutation's own onSuccess and mutateAsync see fresh data.
      onSuccess: (_data, _variables, _context, mutation) =>
        mutation.meta?.refresh === false ? undefined : client.invalidateQueries(),
    }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        // Retrying a 4xx cannot succeed; network blips and 5xx get two more tries.
        retry: (failureCount, error) => {
          const status = errorInfo(error).httpStatus;
          return (status === null || status >= 500) && failureCount < 2;
        },
      },
    },
  });
  return client;
}

export const queryClient = createQueryClient();

export const trpcClient = createTRPCClient<AppRouter>({
  links: [
    httpBatchLink({
      url: "/trpc",
      maxItems: MAX_BATCH_ITEMS,
      headers: () => ({ [CSRF_HEADER]: "1" }),
      fetch: (url, options) => fetch(url, { ...options, credentials: "same-origin" }),
    }),
  ],
});

export const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });
