/** sessions.list / revoke: the caller's own sessions. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { trpc, type RouterOutputs } from "@/lib/trpc.ts";

export type Session = RouterOutputs["sessions"]["list"][number];

export const sessionsQueryOptions = () => trpc.sessions.list.queryOptions({});

export function useRevokeSession() {
  const queryClient = useQueryClient();
  return useMutation(
    trpc.sessions.revoke.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.sessions.pathFilter()) }),
  );
}
