/** users.list / create / update (system administrators). */
import { keepPreviousData, useMutation, useQueryClient } from "@tanstack/react-query";
import { trpc, type RouterOutputs } from "@/lib/trpc.ts";
import type { UsersSearch } from "../search.ts";

export type User = RouterOutputs["users"]["list"]["items"][number];
export const USERS_PAGE_SIZE = 25;

export const usersQueryOptions = (search: UsersSearch) =>
  trpc.users.list.queryOptions(
    { page: search.page ?? 1, pageSize: USERS_PAGE_SIZE, ...(search.q ? { search: search.q } : {}) },
    { placeholderData: keepPreviousData },
  );

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation(
    trpc.users.create.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.users.pathFilter()) }),
  );
}

export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation(
    trpc.users.update.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.users.pathFilter()) }),
  );
}
