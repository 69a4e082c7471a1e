/**
 * Organizations, products and regions are found by name, so a name names one of them: a
 * taken name is the caller's conflict on the `name` field, at create and at rename.
 */
import { conflict } from "@gatehouse/core";
import { transaction, type Database, type Tx } from "@gatehouse/db";

/** How an aggregate says which row holds a name (its id, or nothing). */
export type FindIdByName = (tx: Tx, name: string) => Promise<unknown>;

/** Throws the conflict when `name` is taken; `what` starts the message ("A product"). */
export async function refuseTakenName(
  tx: Tx,
  name: string,
  findIdByName: FindIdByName,
  what: string,
): Promise<void> {
  if (await findIdByName(tx, name))
    throw conflict(`${what} with this name already exists`, { field: "name" });
}

/** One transaction: refuse a taken name, then `create` (the row, its audit event). */
export function createWithUniqueName<T>(
  ctx: { db: Database },
  name: string,
  findIdByName: FindIdByName,
  what: string,
  create: (tx: Tx) => Promise<T>,
): Promise<T> {
  return transaction(ctx.db, async (tx) => {
    await refuseTakenName(tx, name, findIdByName, what);
    return create(tx);
  });
}
