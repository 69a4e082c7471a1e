/**
 * Manual block reasons, on a team (`team_blocks`) or on one of its keys (`api_key_blocks`):
 * one implementation for both, since the two tables hold the same columns and follow the
 * same rules. A team or key is blocked on the proxies iff any reason remains (core
 * blockState); this changes the `manual` reason only and says whether anything changed, so
 * the caller's audit event can.
 *
 * A manual block records who placed it and at which level (core block-level.ts decides who
 * may lift it and when a new block raises an existing one). Callers hold the team's or the
 * key's lock (lockTeam / lockApiKey), so reading the block and changing it cannot interleave.
 */
import { mayLiftBlock, placeBlock, placedAbove } from "@gatehouse/core";
import { Prisma, type BlockLevel, type TeamBlockReason } from "../generated/prisma/client.ts";

/** Who places a manual block, at which level, and why. */
export interface ManualBlockPlacement {
  level: BlockLevel;
  placedByUserId: string | null;
  placedByServiceTokenId: string | null;
  note: string | null;
}

/** A team's block reason as shown: who placed it (a person's or a token's name) and why. */
export interface TeamBlockRow {
  reason: TeamBlockReason;
  note: string | null;
  since: Date;
  level: BlockLevel | null;
  placedBy: string | null;
}

/** Whose manual block: a team's, or a key's. */
export type ManualBlockTarget = { teamId: string } | { keyId: string };

/** Place the caller's block (`now` its time), or lift the one there. */
export type ManualBlockChange =
  { place: Omit<ManualBlockPlacement, "level">; now: Date } | { lift: true };

/** The closed set of tables and id columns a target names; nothing else reaches the SQL. */
function tableOf(target: ManualBlockTarget) {
  return "teamId" in target
    ? { table: Prisma.raw("team_blocks"), column: Prisma.raw("team_id"), id: target.teamId }
    : { table: Prisma.raw("api_key_blocks"), column: Prisma.raw("api_key_id"), id: target.keyId };
}

/**
 * Places (or raises to `callerLevel`) or lifts the target's manual block, as core's rules
 * say: a block already there at the caller's level or above is kept as it is; a lift of a
 * block placed above the caller's level is refused (core placedAbove). Returns whether a
 * row changed.
 */
export async function setManualBlock(
  tx: Prisma.TransactionClient,
  target: ManualBlockTarget,
  callerLevel: BlockLevel,
  change: ManualBlockChange,
): Promise<boolean> {
  const { table, column, id } = tableOf(target);
  const [row] = await tx.$queryRaw<{ level: BlockLevel | null }[]>`
    SELECT level::text AS level FROM ${table} WHERE ${column} = ${id}::uuid AND reason = 'manual'`;
  // The manual block's level (null: placed before levels), or undefined when there is none.
  const existing = row ? row.level : undefined;
  if ("place" in change) {
    const how = placeBlock(callerLevel, existing);
    if (how === "keep") return false;
    const { placedByUserId, placedByServiceTokenId, note } = change.place;
    const changed =
      how === "insert"
        ? await tx.$executeRaw`
            INSERT INTO ${table} (${column}, reason, level, placed_by_user_id, placed_by_service_token_id, note, created_at)
            VALUES (${id}::uuid, 'manual', ${callerLevel}::"BlockLevel", ${placedByUserId}::uuid,
                    ${placedByServiceTokenId}::uuid, ${note}, ${change.now})`
        : await tx.$executeRaw`
            UPDATE ${table} SET level = ${callerLevel}::"BlockLevel", placed_by_user_id = ${placedByUserId}::uuid,
                   placed_by_service_token_id = ${placedByServiceTokenId}::uuid, note = ${note},
                   created_at = ${change.now}
             WHERE ${column} = ${id}::uuid AND reason = 'manual'`;
    return changed > 0;
  }
  if (existing === undefined) return false;
  if (!mayLiftBlock(callerLevel, existing)) throw placedAbove(existing!);
  const lifted = await tx.$executeRaw`
    DELETE FROM ${table} WHERE ${column} = ${id}::uuid AND reason = 'manual'`;
  return lifted > 0;
}
