/** serviceTokens.list (system administrators). Mutations: useMutation at the call site. */
import { trpc, type RouterOutputs } from "@/lib/trpc.ts";

export type ServiceToken = RouterOutputs["serviceTokens"]["list"][number];

export const serviceTokensQueryOptions = () => trpc.serviceTokens.list.queryOptions();
