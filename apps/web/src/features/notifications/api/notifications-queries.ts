/** notifications.list / markRead: the signed-in person's notifications (bell and page). */
import { infiniteQueryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { trpc, trpcClient, type RouterOutputs } from "@/lib/trpc.ts";

export type Notification = RouterOutputs["notifications"]["list"]["items"][number];

/** The bell polls: a notification written by the worker shows up without a reload. */
const BELL_REFRESH_MS = 60_000;

export const bellQueryOptions = () =>
  trpc.notifications.list.queryOptions(
    { unreadOnly: true, pageSize: 10 },
    { refetchInterval: BELL_REFRESH_MS, refetchOnWindowFocus: true },
  );

export const NOTIFICATIONS_PAGE_SIZE = 25;

/** /notifications page by page (newest first, by cursor), as outbox-queries.ts. */
export const notificationPagesQueryOptions = (unreadOnly: boolean) =>
  infiniteQueryOptions({
    queryKey: [...trpc.notifications.list.pathKey(), { type: "pages", unreadOnly }] as const,
    queryFn: ({ pageParam, signal }) =>
      trpcClient.notifications.list.query(
        {
          pageSize: NOTIFICATIONS_PAGE_SIZE,
          ...(unreadOnly ? { unreadOnly: true } : {}),
          ...(pageParam ? { cursor: pageParam } : {}),
        },
        { signal },
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation(
    trpc.notifications.markRead.mutationOptions({
      // Only the notifications change: refetch them, not every query on screen.
      meta: { refresh: false },
      onSuccess: () => queryClient.invalidateQueries(trpc.notifications.list.pathFilter()),
    }),
  );
}
