/**
 * Audit events page by page (newest first, opaque cursor), shared by the audit log and a
 * team's audit trail.
 *
 * Not trpc.audit.list.infiniteQueryOptions: tRPC's infinite queries add `direction` to the
 * input, and audit.list's strict input schema refuses unknown keys. This sends exactly
 * { ...filters, cursor } while keeping the query key under the procedure's path, so
 * invalidating trpc.audit still refreshes it.
 */
import { infiniteQueryOptions } from "@tanstack/react-query";
import { trpc, trpcClient, type RouterInputs } from "./trpc.ts";

export type AuditListInput = Omit<NonNullable<RouterInputs["audit"]["list"]>, "cursor">;

export const auditPagesQueryOptions = (input: AuditListInput) =>
  infiniteQueryOptions({
    queryKey: [...trpc.audit.list.pathKey(), { input, type: "pages" }] as const,
    queryFn: ({ pageParam, signal }) =>
      trpcClient.audit.list.query(
        { ...input, ...(pageParam ? { cursor: pageParam } : {}) },
        { signal },
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
