/** regions.list and reconciliation. The master key is write-only: never read back. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { trpc, type RouterOutputs } from "@/lib/trpc.ts";

export type Region = RouterOutputs["regions"]["list"][number];

export const regionsQueryOptions = () => trpc.regions.list.queryOptions();

export type ReconcileStatus = RouterOutputs["regions"]["reconcileStatus"];
export type ReconcileReport = NonNullable<ReconcileStatus["report"]>;

/** Poll every second while a reconciliation or its repair jobs are running. */
export const RECONCILE_POLL_MS = 1000;

export const reconcileStatusQueryOptions = (regionId: string) =>
  trpc.regions.reconcileStatus.queryOptions(
    { regionId },
    {
      refetchInterval: (query) => {
        const data = query.state.data;
        return data && (data.running || (data.repair?.pending ?? 0) > 0)
          ? RECONCILE_POLL_MS
          : false;
      },
    },
  );

/** regions.reconcile (optionally repairing): the report, then every region view refreshes. */
export function useReconcileRegion() {
  const queryClient = useQueryClient();
  return useMutation(
    trpc.regions.reconcile.mutationOptions({
      onSettled: () => queryClient.invalidateQueries(trpc.regions.pathFilter()),
    }),
  );
}
