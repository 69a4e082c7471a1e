/**
 * Block reason rows written by hand or by a user's state (`manual`, `owner_disabled`). A
 * team or key is blocked on the proxies iff any reason remains (core blockState); each
 * function changes one reason only and returns how many rows it changed, so the caller's
 * audit event can say whether anything did.
 *
 * A manual block records who placed it and at which level (core block-level.ts decides who
 * may lift it and when a new block raises an existing one). Callers hold the team's or the
 * key's lock (lockTeam / lockApiKey), so reading the block and changing it cannot interleave.
 */
import type { BlockLevel, Prisma, TeamBlockReason } from "./generated/prisma/client.ts";

/** Who places a manual block, at which level, and why. */
export interface ManualBlockPlacement {
  level: BlockLevel;
  placedByUserId: string | null;
  placedByServiceTokenId: string | null;
  note: string | null;
}

/** What `placeBlock` decided (core): a new row, or the existing one taken over. */
export type PlaceBlockHow = "insert" | "raise";

/** A team's block reason as shown: who placed it (a person's or a token's name) and why. */
export interface TeamBlockRow {
  reason: TeamBlockReason;
  note: string | null;
  since: Date;
  level: BlockLevel | null;
  placedBy: string | null;
}

/** The manual block's level (null: placed before levels), or undefined when there is none. */
export async function teamManualBlockLevel(
  tx: Prisma.TransactionClient,
  teamId: string,
): Promise<BlockLevel | null | undefined> {
  const row = await tx.teamBlock.findUnique({
    where: { teamId_reason: { teamId, reason: "manual" } },
    select: { level: true },
  });
  return row ? row.level : undefined;
}

/** Places (or raises) a team's `manual` reason. */
export async function placeTeamManualBlock(
  tx: Prisma.TransactionClient,
  teamId: string,
  placement: ManualBlockPlacement,
  how: PlaceBlockHow,
  now: Date,
): Promise<number> {
  const data = { ...placement, createdAt: now };
  if (how === "insert") await tx.teamBlock.create({ data: { teamId, reason: "manual", ...data } });
  else
    await tx.teamBlock.update({
      where: { teamId_reason: { teamId, reason: "manual" } },
      data,
    });
  return 1;
}

/** Lifts a team's `manual` reason. */
export async function liftTeamManualBlock(
  tx: Prisma.TransactionClient,
  teamId: string,
): Promise<number> {
  return tx.$executeRaw`DELETE FROM team_blocks WHERE team_id = ${teamId}::uuid AND reason = 'manual'`;
}

/** A key's manual block as shown, or null when it has none. */
export interface KeyManualBlockRow {
  keyId: string;
  level: BlockLevel | null;
  placedBy: string | null;
  note: string | null;
  since: Date;
}

/** The manual blocks of these keys, with their authors' names. */
export async function keyManualBlocks(
  tx: Pick<Prisma.TransactionClient, "$queryRaw">,
  keyIds: readonly string[],
): Promise<KeyManualBlockRow[]> {
  if (keyIds.length === 0) return [];
  return tx.$queryRaw<KeyManualBlockRow[]>`
    SELECT b.api_key_id::text AS "keyId", b.level::text AS level, COALESCE(u.name, s.name) AS "placedBy",
           b.note, b.created_at AS since
      FROM api_key_blocks b
      LEFT JOIN users u ON u.id = b.placed_by_user_id
      LEFT JOIN service_tokens s ON s.id = b.placed_by_service_token_id
     WHERE b.api_key_id = ANY(${[...keyIds]}::uuid[]) AND b.reason = 'manual'`;
}

/** The key's manual block level (null: placed before levels), or undefined when none. */
export async function keyManualBlockLevel(
  tx: Prisma.TransactionClient,
  keyId: string,
): Promise<BlockLevel | null | undefined> {
  const row = await tx.apiKeyBlock.findUnique({
    where: { apiKeyId_reason: { apiKeyId: keyId, reason: "manual" } },
    select: { level: true },
  });
  return row ? row.level : undefined;
}

/** Places (or raises) a key's `manual` reason. */
export async function placeKeyManualBlock(
  tx: Prisma.TransactionClient,
  keyId: string,
  placement: ManualBlockPlacement,
  how: PlaceBlockHow,
  now: Date,
): Promise<number> {
  const data = { ...placement, createdAt: now };
  if (how === "insert")
    await tx.apiKeyBlock.create({ data: { apiKeyId: keyId, reason: "manual", ...data } });
  else
    await tx.apiKeyBlock.update({
      where: { apiKeyId_reason: { apiKeyId: keyId, reason: "manual" } },
      data,
    });
  return 1;
}

/** Lifts a key's `manual` reason. */
export async function liftKeyManualBlock(
  tx: Prisma.TransactionClient,
  keyId: string,
): Promise<number> {
  return tx.$executeRaw`DELETE FROM api_key_blocks WHERE api_key_id = ${keyId}::uuid AND reason = 'manual'`;
}

/**
 * Sets (`disabled`) or lifts the `owner_disabled` reason on every key a user created.
 * Set-based: one statement however many keys, served by api_keys(creator_id).
 */
export async function setOwnerDisabledKeyBlocks(
  tx: Prisma.TransactionClient,
  creatorId: string,
  disabled: boolean,
  now: Date,
): Promise<number> {
  return disabled
    ? tx.$executeRaw`INSERT INTO api_key_blocks (api_key_id, reason, created_at)
        SELECT id, 'owner_disabled', ${now} FROM api_keys WHERE creator_id = ${creatorId}::uuid
        ON CONFLICT DO NOTHING`
    : tx.$executeRaw`DELETE FROM api_key_blocks b USING api_keys k
        WHERE k.creator_id = ${creatorId}::uuid AND b.api_key_id = k.id AND b.reason = 'owner_disabled'`;
}
