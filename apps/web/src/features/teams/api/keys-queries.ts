/** keys.list / create / delete / block / unblock for one team. The secret comes back once, from create. */
import { keepPreviousData, useMutation, useQueryClient } from "@tanstack/react-query";
import { trpc, type RouterOutputs } from "@/lib/trpc.ts";

export type ApiKey = RouterOutputs["keys"]["list"]["items"][number];
export const KEYS_PAGE_SIZE = 25;

export const teamKeysQueryOptions = (teamId: string, page: number) =>
  trpc.keys.list.queryOptions({ teamId, page, pageSize: KEYS_PAGE_SIZE }, { placeholderData: keepPreviousData });

export const regionsQueryOptions = () => trpc.regions.list.queryOptions();

/** Keys change the team's key count too. */
function useInvalidateKeys() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries(trpc.keys.pathFilter()),
      queryClient.invalidateQueries(trpc.teams.pathFilter()),
    ]);
}

export function useCreateKey() {
  const invalidate = useInvalidateKeys();
  return useMutation(trpc.keys.create.mutationOptions({ onSuccess: invalidate }));
}

export function useDeleteKey() {
  const invalidate = useInvalidateKeys();
  return useMutation(trpc.keys.delete.mutationOptions({ onSuccess: invalidate }));
}

export function useBlockKey() {
  const invalidate = useInvalidateKeys();
  return useMutation(trpc.keys.block.mutationOptions({ onSuccess: invalidate }));
}

export function useUnblockKey() {
  const invalidate = useInvalidateKeys();
  return useMutation(trpc.keys.unblock.mutationOptions({ onSuccess: invalidate }));
}
