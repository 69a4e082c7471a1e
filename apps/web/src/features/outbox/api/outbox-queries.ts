/** outbox.list page by page (newest first, by cursor) and outbox.get for the open message. */
import { infiniteQueryOptions } from "@tanstack/react-query";
import { trpc, trpcClient, type RouterOutputs } from "@/lib/trpc.ts";

export type OutboxMail = RouterOutputs["outbox"]["list"]["items"][number];
export type OutboxMessage = RouterOutputs["outbox"]["get"];

export const OUTBOX_PAGE_SIZE = 50;

/** Sends exactly { pageSize, cursor } (as audit-pages.ts), keyed under the procedure's path. */
export const outboxPagesQueryOptions = () =>
  infiniteQueryOptions({
    queryKey: [...trpc.outbox.list.pathKey(), { type: "pages" }] as const,
    queryFn: ({ pageParam, signal }) =>
      trpcClient.outbox.list.query(
        { pageSize: OUTBOX_PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) },
        { signal },
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

export const outboxMailQueryOptions = (mailId: string) => trpc.outbox.get.queryOptions({ mailId });
