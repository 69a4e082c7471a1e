/** The key row -> API shape mapping shared by keys.create and keys.list. */
import { blockState, mayLiftBlock, type BlockLevel } from "@gatehouse/core";
import { keyManualBlocks, type Prisma } from "@gatehouse/db";
import { toIso } from "../shared.schema.ts";
import type { KeyBlockReasonName, TKey } from "./shared.schema.ts";

export const keyInclude = {
  team: { select: { name: true } },
  region: { select: { name: true } },
  creator: { select: { id: true, email: true } },
} as const;

/** What toKey reads: a Prisma row with keyInclude, or the row keys.create builds. */
export type KeyRow = Pick<
  Prisma.ApiKeyGetPayload<object>,
  "id" | "name" | "teamId" | "regionId" | "keyPrefix" | "createdAt"
> &
  Pick<Prisma.ApiKeyGetPayload<{ include: typeof keyInclude }>, "team" | "region" | "creator">;

/** The keys' manual blocks as shown, with whether this caller (at `levelOf(key)`) may lift each. */
export async function keyManualBlockOutput(
  tx: Pick<Prisma.TransactionClient, "$queryRaw">,
  keyIds: readonly string[],
  levelOf: (keyId: string) => BlockLevel | null,
): Promise<Map<string, NonNullable<TKey["manualBlock"]> & { canUnblock: boolean }>> {
  const rows = await keyManualBlocks(tx, keyIds);
  return new Map(
    rows.map((b) => [
      b.keyId,
      {
        placedBy: b.placedBy,
        level: b.level,
        note: b.note,
        since: toIso(b.since),
        canUnblock: mayLiftBlock(levelOf(b.keyId), b.level),
      },
    ]),
  );
}

export function toKey(
  k: KeyRow,
  sync: TKey["sync"],
  reasons: KeyBlockReasonName[] = [],
  spendUsd: number | null = null,
  manual: (NonNullable<TKey["manualBlock"]> & { canUnblock: boolean }) | null = null,
): TKey {
  const state = blockState(reasons);
  return {
    id: k.id,
    name: k.name,
    teamId: k.teamId,
    teamName: k.team.name,
    regionId: k.regionId,
    regionName: k.region.name,
    keyPrefix: k.keyPrefix,
    createdAt: toIso(k.createdAt),
    creator: k.creator,
    sync,
    blocked: state.blocked,
    blockReasons: state.reasons,
    manualBlock: manual
      ? { placedBy: manual.placedBy, level: manual.level, note: manual.note, since: manual.since }
      : null,
    canUnblock: manual?.canUnblock ?? false,
    spendUsd,
  };
}
