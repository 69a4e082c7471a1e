/** The key row -> API shape mapping shared by keys.create and keys.list, and access checks. */
import { blockState, canBlockKeys, forbidden, notFound, type Actor } from "@gatehouse/core";
import type { Database, Prisma } from "@gatehouse/db";
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
