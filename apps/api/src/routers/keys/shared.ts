/** The key row -> API shape mapping shared by the keys procedures. */
import { blockState, mayLiftBlock, readKeyLimits, type BlockLevel } from "@gatehouse/core";
import type { KeyManualBlockRow, KeyRow, RetiringSecretRow } from "@gatehouse/db";
import { toIso } from "../shared.schema.ts";
import type { KeyBlockReasonName, TKey } from "./shared.schema.ts";

export type { KeyRow };

/** A key's manual block as shown, with whether this caller may lift it. */
export type ManualBlockView = NonNullable<TKey["manualBlock"]> & { canUnblock: boolean };

/** The keys' manual blocks as shown, with whether this caller (at `levelOf(key)`) may lift each. */
export function manualBlockViews(
  rows: readonly KeyManualBlockRow[],
  levelOf: (keyId: string) => BlockLevel | null,
): Map<string, ManualBlockView> {
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
  manual: ManualBlockView | null = null,
  retiring: readonly RetiringSecretRow[] = [],
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
    secrets: [
      { keyPrefix: k.keyPrefix, state: "active", retireAt: null },
      ...retiring.map((r) => ({
        keyPrefix: r.keyPrefix,
        state: "retiring" as const,
        retireAt: toIso(r.retireAt),
      })),
    ],
    limits: readKeyLimits(k.limits),
    expiresAt: k.expiresAt ? toIso(k.expiresAt) : null,
  };
}
