/** regions.list / create / update. The master key is write-only: never read back. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { trpc, type RouterOutputs } from "@/lib/trpc.ts";

export type Region = RouterOutputs["regions"]["list"][number];

export const regionsQueryOptions = () => trpc.regions.list.queryOptions();

export function useCreateRegion() {
  const queryClient = useQueryClient();
  return useMutation(
    trpc.regions.create.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.regions.pathFilter()) }),
  );
}

export function useUpdateRegion() {
  const queryClient = useQueryClient();
  return useMutation(
    trpc.regions.update.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.regions.pathFilter()) }),
  );
}
