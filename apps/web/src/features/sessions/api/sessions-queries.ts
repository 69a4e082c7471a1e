/** sessions.list / revoke: the caller's own sessions. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { trpc, type RouterOutputs } from "@/lib/trpc.ts";

export type Session = RouterOutputs["sessions"]["list"][number];

export const sessionsQueryOptions = () => trpc.sessions.list.queryOptions({});

export function useRevokeSession() {
  const queryClient = useQueryClient();
  return useMutation(
    trpc.sessions.revoke.mutationOptions({
      // Ending the current session signs out: refetching everything would only meet 401s.
      meta: { refresh: false },
      onSuccess: () => queryClient.invalidateQueries(trpc.sessions.pathFilter()),
    }),
  );
}
