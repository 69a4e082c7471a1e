/** products.list / create. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { trpc, type RouterOutputs } from "@/lib/trpc.ts";

export type Product = RouterOutputs["products"]["list"][number];

export const productsQueryOptions = () => trpc.products.list.queryOptions();

export function useCreateProduct() {
  const queryClient = useQueryClient();
  return useMutation(
    trpc.products.create.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.products.pathFilter()) }),
  );
}
