/** keys.list for one team, and the regions a key can be created on. The secret comes back once, from keys.create. */
import { keepPreviousData } from "@tanstack/react-query";
import { trpc, type RouterOutputs } from "@/lib/trpc.ts";

export type ApiKey = RouterOutputs["keys"]["list"]["items"][number];
export const KEYS_PAGE_SIZE = 25;

export const teamKeysQueryOptions = (teamId: string, page: number) =>
  trpc.keys.list.queryOptions(
    { teamId, page, pageSize: KEYS_PAGE_SIZE },
    { placeholderData: keepPreviousData },
  );

export const regionsQueryOptions = () => trpc.regions.list.queryOptions();

/** keys.get: one key's limits in force with their sources, its budget, expiry and blocks. */
export type KeyDetail = RouterOutputs["keys"]["get"];
export const keyDetailQueryOptions = (keyId: string) => trpc.keys.get.queryOptions({ keyId });
