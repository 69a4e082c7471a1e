/** Query and mutation options for teams: the listing, one team, members and products. */
import { keepPreviousData, useMutation, useQueryClient } from "@tanstack/react-query";
import { trpc, type RouterInputs, type RouterOutputs } from "@/lib/trpc.ts";
import { teamsDefaults, type TeamsSearch } from "../search.ts";

export type TeamListItem = RouterOutputs["teams"]["list"]["items"][number];
export type TeamDetail = RouterOutputs["teams"]["get"];
export type TeamMember = TeamDetail["members"][number];
export type TeamRole = TeamMember["role"];
export type TeamBlockReason = TeamDetail["blockReasons"][number];
export type TeamEntitlement = TeamDetail["entitlement"];
export type TeamSpend = TeamDetail["spend"];

/** The daily spend chart's data: the last `days` UTC days. */
export const teamSpendHistoryQueryOptions = (teamId: string, days = 30) =>
  trpc.teams.spendHistory.queryOptions({ teamId, days });

/** URL state -> teams.list input. A cursor replaces the page number (keyset paging). */
export function teamsListInput(search: TeamsSearch): RouterInputs["teams"]["list"] {
  return {
    pageSize: search.pageSize ?? teamsDefaults.pageSize,
    sortBy: search.sort ?? teamsDefaults.sort,
    sortOrder: search.order ?? teamsDefaults.order,
    ...(search.cursor ? { cursor: search.cursor } : { page: search.page ?? 1 }),
    ...(search.q ? { search: search.q } : {}),
    ...(search.org ? { organizationId: search.org } : {}),
    ...(search.expired !== undefined ? { expired: search.expired } : {}),
    ...(search.blocked !== undefined ? { blocked: search.blocked } : {}),
  };
}

export const teamsListQueryOptions = (search: TeamsSearch) =>
  trpc.teams.list.queryOptions(teamsListInput(search), { placeholderData: keepPreviousData });

export const teamQueryOptions = (teamId: string) => trpc.teams.get.queryOptions({ teamId });

export function useDeleteTeam() {
  const queryClient = useQueryClient();
  return useMutation(
    trpc.teams.delete.mutationOptions({
      meta: { refresh: false },
      // The team's own queries would 404 now: drop them instead of refetching them.
      onSuccess: (_data, { teamId }) => {
        queryClient.removeQueries(trpc.teams.get.queryFilter({ teamId }));
        return queryClient.invalidateQueries(trpc.teams.list.pathFilter());
      },
    }),
  );
}
