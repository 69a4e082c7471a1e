/** The key row -> API shape mapping shared by keys.create and keys.list. */
import { blockState } from "@gatehouse/core";
import type { Prisma } from "@gatehouse/db";
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

export function toKey(
  k: KeyRow,
  sync: TKey["sync"],
  reasons: KeyBlockReasonName[] = [],
  spendUsd: number | null = null,
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
    spendUsd,
  };
}
