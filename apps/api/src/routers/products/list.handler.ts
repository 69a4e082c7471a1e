import { listProducts } from "@gatehouse/db";
import { authedProcedure } from "../../trpc/init.ts";
import { ZProductsListOutput } from "./list.schema.ts";
import { toProduct } from "./shared.ts";

/** Any signed-in caller may read the catalogue (team pages show product names). */
export const list = authedProcedure
  .output(ZProductsListOutput)
  .query(async ({ ctx }) => (await listProducts(ctx.db)).map(toProduct));
