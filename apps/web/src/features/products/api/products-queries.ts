/** products.list / create / update. A product edit changes the entitlement of its teams. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { trpc, type RouterOutputs } from "@/lib/trpc.ts";

export type Product = RouterOutputs["products"]["list"][number];

export const productsQueryOptions = () => trpc.products.list.queryOptions();

function useInvalidateProducts() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries(trpc.products.pathFilter()),
      // Team pages show the entitlement computed from their products.
      queryClient.invalidateQueries(trpc.teams.pathFilter()),
    ]);
}

export function useCreateProduct() {
  const invalidate = useInvalidateProducts();
  return useMutation(trpc.products.create.mutationOptions({ onSuccess: invalidate }));
}

export function useUpdateProduct() {
  const invalidate = useInvalidateProducts();
  return useMutation(trpc.products.update.mutationOptions({ onSuccess: invalidate }));
}
