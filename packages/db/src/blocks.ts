/**
 * Block reason rows written by hand or by a user's state (`manual`, `owner_disabled`). A
 * team or key is blocked on the proxies iff any reason remains (core blockState); each
 * function changes one reason only and returns how many rows it changed, so the caller's
 * audit event can say whether anything did.
 */
import type { Prisma } from "./generated/prisma/client.ts";

/** Sets (`block` given) or lifts (null) a team's `manual` reason. */
export async function setTeamManualBlock(
  tx: Prisma.TransactionClient,
  teamId: string,
  block: { note: string | null } | null,
  now: Date,
): Promise<number> {
  return block
    ? tx.$executeRaw`INSERT INTO team_blocks (team_id, reason, note, created_at)
        VALUES (${teamId}::uuid, 'manual', ${block.note}, ${now}) ON CONFLICT DO NOTHING`
    : tx.$executeRaw`DELETE FROM team_blocks WHERE team_id = ${teamId}::uuid AND reason = 'manual'`;
}

/** Sets or lifts a key's `manual` reason. */
export async function setKeyManualBlock(
  tx: Prisma.TransactionClient,
  keyId: string,
  block: boolean,
  now: Date,
): Promise<number> {
  return block
    ? tx.$executeRaw`INSERT INTO api_key_blocks (api_key_id, reason, created_at)
        VALUES (${keyId}::uuid, 'manual', ${now}) ON CONFLICT DO NOTHING`
    : tx.$executeRaw`DELETE FROM api_key_blocks WHERE api_key_id = ${keyId}::uuid AND reason = 'manual'`;
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
