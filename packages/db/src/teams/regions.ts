/** The regions a team's LiteLLM team may live on, for the jobs that rename or delete it. */
import type { Prisma } from "../generated/prisma/client.ts";

/**
 * Every region, by id, with its name: Gatehouse does not record on which proxies a team was
 * created, so a rename or a delete goes to all of them.
 */
export async function teamRegionNames(
  tx: Prisma.TransactionClient,
): Promise<Map<string, { name: string }>> {
  const regions = await tx.region.findMany({ select: { id: true, name: true } });
  return new Map(regions.map((r) => [r.id, { name: r.name }]));
}
