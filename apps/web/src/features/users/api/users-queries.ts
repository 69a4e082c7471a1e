/** users.list (system administrators). Mutations: useMutation at the call site. */
import { keepPreviousData } from "@tanstack/react-query";
import { trpc, type RouterOutputs } from "@/lib/trpc.ts";
import type { UsersSearch } from "../search.ts";

export type User = RouterOutputs["users"]["list"]["items"][number];
export const USERS_PAGE_SIZE = 25;

export const usersQueryOptions = (search: UsersSearch) =>
  trpc.users.list.queryOptions(
    {
      page: search.page ?? 1,
      pageSize: USERS_PAGE_SIZE,
      ...(search.q ? { search: search.q } : {}),
    },
    { placeholderData: keepPreviousData },
  );
