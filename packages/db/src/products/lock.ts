/** The product row lock a product update takes before it compares and changes. */
import type { Prisma } from "../generated/prisma/client.ts";

/** The product row FOR UPDATE, with what an update compares against ("before"). */
export async function lockProduct(
  tx: Prisma.TransactionClient,
  productId: string,
): Promise<{ id: string; name: string; limits: unknown } | null> {
  const [product] = await tx.$queryRaw<{ id: string; name: string; limits: unknown }[]>`
    SELECT id::text, name, limits FROM products WHERE id = ${productId}::uuid FOR UPDATE`;
  return product ?? null;
}
