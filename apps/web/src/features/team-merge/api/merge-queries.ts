/** teams.mergePreview / merge / mergeStatus. */
import { skipToken, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { trpc } from "@/lib/trpc.ts";
import type { MergeRequest } from "./merge-types.ts";

/** Poll every second while the LiteLLM sync runs; stop at DONE or FAILED. */
export const MERGE_STATUS_POLL_MS = 1000;

/** `null` while the form is incomplete: nothing is fetched. */
export const mergePreviewQueryOptions = (input: MergeRequest | null) =>
  trpc.teams.mergePreview.queryOptions(input ?? skipToken, {
    // A preview is only true for the moment it was computed; never show an old one.
    staleTime: 0,
    gcTime: 30_000,
    retry: false,
  });

export const mergeStatusQueryOptions = (mergeId: string | null) =>
  trpc.teams.mergeStatus.queryOptions(mergeId ? { mergeId } : skipToken, {
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === "DONE" || status === "FAILED" ? false : MERGE_STATUS_POLL_MS;
    },
    refetchIntervalInBackground: true,
  });

export function useMergeTeams() {
  const queryClient = useQueryClient();
  return useMutation(
    trpc.teams.merge.mutationOptions({
      // Teams, members, keys, counts and the audit log all changed; the source is gone.
      onSuccess: () => queryClient.invalidateQueries(),
    }),
  );
}

/** Polls the merge's sync; when it settles, key lists refresh to show their final state. */
export function useMergeStatus(mergeId: string | null) {
  const queryClient = useQueryClient();
  const status = useQuery(mergeStatusQueryOptions(mergeId));
  const settled = status.data?.status === "DONE" || status.data?.status === "FAILED";
  useEffect(() => {
    if (settled) void queryClient.invalidateQueries(trpc.keys.pathFilter());
  }, [settled, queryClient]);
  return status;
}
