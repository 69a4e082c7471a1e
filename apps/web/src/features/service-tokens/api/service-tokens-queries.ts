/** serviceTokens.list / create / revoke (system administrators). */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { trpc, type RouterOutputs } from "@/lib/trpc.ts";

export type ServiceToken = RouterOutputs["serviceTokens"]["list"][number];

export const serviceTokensQueryOptions = () => trpc.serviceTokens.list.queryOptions();

function useInvalidate() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries(trpc.serviceTokens.pathFilter());
}

export function useCreateServiceToken() {
  const invalidate = useInvalidate();
  return useMutation(trpc.serviceTokens.create.mutationOptions({ onSuccess: invalidate }));
}

export function useRevokeServiceToken() {
  const invalidate = useInvalidate();
  return useMutation(trpc.serviceTokens.revoke.mutationOptions({ onSuccess: invalidate }));
}
