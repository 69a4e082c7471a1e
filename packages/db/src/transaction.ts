/**
 * The one way code outside packages/db opens a transaction: it gets a transaction client to
 * hand to this package's named functions, never the Prisma client itself, so queries stay here.
 */
import type { Database } from "./client.ts";
import type { Prisma } from "./generated/prisma/client.ts";

export type Tx = Prisma.TransactionClient;

export function transaction<T>(
  db: Pick<Database, "prisma">,
  work: (tx: Tx) => Promise<T>,
  options?: { isolationLevel?: Prisma.TransactionIsolationLevel },
): Promise<T> {
  return db.prisma.$transaction(work, options);
}
