/** products.list. Mutations: useMutation at the call site; lib/trpc.ts refreshes after each (a product edit changes its teams too). */
import { trpc, type RouterOutputs } from "@/lib/trpc.ts";

export type Product = RouterOutputs["products"]["list"][number];

export const productsQueryOptions = () => trpc.products.list.queryOptions();
