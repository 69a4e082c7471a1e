/** Team search for the merge pickers (teams.list `search`: name or id). */
import { keepPreviousData } from "@tanstack/react-query";
import { trpc } from "@/lib/trpc.ts";

export const teamSearchQueryOptions = (search: string) =>
  trpc.teams.list.queryOptions(
    { page: 1, pageSize: 20, sortBy: "name", sortOrder: "asc", ...(search ? { search } : {}) },
    { placeholderData: keepPreviousData },
  );
