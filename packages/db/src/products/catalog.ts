/** The product catalogue: what a team can be entitled to (limits), sold for a renewal period. */
import type { Database } from "../client.ts";
import type { Prisma, Product } from "../generated/prisma/client.ts";
import type { Tx } from "../transaction.ts";

export function listProducts(db: Pick<Database, "prisma">): Promise<Product[]> {
  return db.prisma.product.findMany({ orderBy: { name: "asc" }, take: 1000 });
}

export function findProduct(tx: Tx, productId: string): Promise<Product | null> {
  return tx.product.findUnique({ where: { id: productId } });
}

export async function findProductIdByName(tx: Tx, name: string): Promise<string | null> {
  const product = await tx.product.findUnique({ where: { name }, select: { id: true } });
  return product?.id ?? null;
}

export interface NewProduct {
  name: string;
  isActive: boolean;
  renewalPeriodDays: number;
  limits: Prisma.InputJsonValue;
  createdAt: Date;
}

export function insertProduct(tx: Tx, product: NewProduct): Promise<Product> {
  return tx.product.create({ data: product });
}

export interface ProductChanges {
  name?: string | undefined;
  isActive?: boolean | undefined;
  /** Replaces the limits whole. */
  limits?: Prisma.InputJsonValue | undefined;
}

/** Writes the given fields (an undefined one stays as it is). */
export function updateProductFields(
  tx: Tx,
  productId: string,
  changes: ProductChanges,
): Promise<Product> {
  return tx.product.update({
    where: { id: productId },
    data: {
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.isActive !== undefined ? { isActive: changes.isActive } : {}),
      ...(changes.limits !== undefined ? { limits: changes.limits } : {}),
    },
  });
}
