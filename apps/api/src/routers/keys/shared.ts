/** The key row -> API shape mapping shared by keys.create and keys.list, and access checks. */
import {
  blockState,
  canBlockKeys,
  forbidden,
  mayLiftBlock,
  notFound,
  type Actor,
  type BlockLevel,
} from "@gatehouse/core";
import { keyManualBlocks, type Database, type Prisma } from "@gatehouse/db";
import { loadTeamAccess, type TeamAccess } from "../../trpc/team-access.ts";
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

/**
 * The key's team id and the caller's access to it, for a change only whoever may block the
 * team's keys may make (core canBlockKeys: keys.block/unblock, keys.transfer). A key of a
 * team the caller cannot see is "not found", like an unknown key id.
 */
export async function keyBlockerAccess(
  db: Database,
  actor: Actor,
  keyId: string,
): Promise<{ teamId: string; access: TeamAccess }> {
  const key = await db.prisma.apiKey.findUnique({ where: { id: keyId }, select: { teamId: true } });
  if (!key) throw notFound("Key");
  const access = await loadTeamAccess(db, actor, key.teamId, "Key");
  if (!access.permissions.view) throw notFound("Key");
  if (!canBlockKeys(access.permissions, access.callerRole)) throw forbidden();
  return { teamId: key.teamId, access };
}
