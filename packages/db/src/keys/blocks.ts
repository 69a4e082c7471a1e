/**
 * A key's block reasons as shown, and the `owner_disabled` reason a user's state sets on
 * every key they created. A key's manual block is placed and lifted by teams/blocks.ts
 * `setManualBlock` (one implementation for teams and keys).
 */
import type { BlockLevel, KeyBlockReason, Prisma } from "../generated/prisma/client.ts";

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

/** Every block reason of these keys (keys without one are absent). */
export async function blockReasonsOfKeys(
  tx: Pick<Prisma.TransactionClient, "apiKeyBlock">,
  keyIds: readonly string[],
): Promise<Array<{ apiKeyId: string; reason: KeyBlockReason }>> {
  if (keyIds.length === 0) return [];
  return tx.apiKeyBlock.findMany({
    where: keyIds.length === 1 ? { apiKeyId: keyIds[0]! } : { apiKeyId: { in: [...keyIds] } },
    select: { apiKeyId: true, reason: true },
  });
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
