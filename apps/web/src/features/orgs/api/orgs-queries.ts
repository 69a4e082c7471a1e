/** orgs.list / get and the members listing (users.list). Mutations: useMutation at the call site; lib/trpc.ts refreshes after each. */
import { keepPreviousData } from "@tanstack/react-query";
import { trpc, type RouterOutputs } from "@/lib/trpc.ts";
import type { OrgsSearch } from "../search.ts";

export type Organization = RouterOutputs["orgs"]["list"]["items"][number];
export type OrgMember = RouterOutputs["users"]["list"]["items"][number];
export const ORGS_PAGE_SIZE = 25;

export const orgsQueryOptions = (search: OrgsSearch) =>
  trpc.orgs.list.queryOptions(
    { page: search.page ?? 1, pageSize: ORGS_PAGE_SIZE, ...(search.q ? { search: search.q } : {}) },
    { placeholderData: keepPreviousData },
  );

/** One organization: name, counts and the caller's role (not found for non-members). */
export const orgQueryOptions = (organizationId: string) =>
  trpc.orgs.get.queryOptions({ organizationId }, { retry: false });

export const orgMembersQueryOptions = (organizationId: string, page: number, search: string) =>
  trpc.users.list.queryOptions(
    { organizationId, page, pageSize: 25, ...(search ? { search } : {}) },
    { placeholderData: keepPreviousData },
  );
