/** The key row lock a key change takes before it checks and changes. */
import type { Prisma } from "../generated/prisma/client.ts";

/** The key row FOR UPDATE; false when there is no such key. */
export async function lockApiKey(tx: Prisma.TransactionClient, keyId: string): Promise<boolean> {
  const [row] = await tx.$queryRaw<
    { id: string }[]
  >`SELECT id::text FROM api_keys WHERE id = ${keyId}::uuid FOR UPDATE`;
  return row !== undefined;
}
