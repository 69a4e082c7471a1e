/**
 * A key's own limits and expiry (issue 26): what keys.update and keys.extend read and
 * write, what the push job reads when it runs, and the expiry sweep's set-based block.
 */
import type { KeyBlockReason } from "@gatehouse/core";
import type { Database } from "../client.ts";
import type { Prisma } from "../generated/prisma/client.ts";

/** What a change to a key's limits checks, read in one statement (the caller locked the key). */
export interface KeyLimitsState {
  id: string;
  name: string;
  teamId: string;
  teamName: string;
  organizationId: string | null;
  regionId: string;
  regionName: string;
  litellmKeyId: string | null;
  creatorId: string | null;
  /** Stored limits (core readKeyLimits reads them). */
  limits: unknown;
  expiresAt: Date | null;
  createdAt: Date;
  reasons: KeyBlockReason[];
  /** The team's active products, with their stored limits. */
  products: Array<{ id: string; name: string; limits: unknown }>;
}

export async function keyLimitsState(
  tx: Pick<Prisma.TransactionClient, "$queryRaw">,
  keyId: string,
): Promise<KeyLimitsState | null> {
  const [row] = await tx.$queryRaw<KeyLimitsState[]>`
    SELECT k.id::text, k.name, k.team_id::text AS "teamId", t.name AS "teamName",
           t.organization_id::text AS "organizationId", k.region_id::text AS "regionId",
           r.name AS "regionName", k.litellm_key_id AS "litellmKeyId",
           k.creator_id::text AS "creatorId", k.limits, k.expires_at AS "expiresAt",
           k.created_at AS "createdAt",
           ARRAY(SELECT reason::text FROM api_key_blocks b WHERE b.api_key_id = k.id ORDER BY reason) AS reasons,
           COALESCE((SELECT json_agg(json_build_object('id', p.id, 'name', p.name, 'limits', p.limits))
                       FROM team_products tp JOIN products p ON p.id = tp.product_id
                      WHERE tp.team_id = k.team_id AND tp.status = 'ACTIVE'), '[]'::json) AS products
      FROM api_keys k JOIN teams t ON t.id = k.team_id JOIN regions r ON r.id = k.region_id
     WHERE k.id = ${keyId}::uuid`;
  return row ?? null;
}

/** Whether another key of the team already has this name. */
export async function keyNameTaken(
  tx: Pick<Prisma.TransactionClient, "$queryRaw">,
  teamId: string,
  name: string,
  exceptKeyId: string,
): Promise<boolean> {
  const [row] = await tx.$queryRaw<{ taken: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM api_keys WHERE team_id = ${teamId}::uuid AND name = ${name}
                     AND id <> ${exceptKeyId}::uuid) AS taken`;
  return row!.taken;
}

/**
 * Writes a key's name, limits and/or expiry (each only when given). A new expiry in the
 * future lifts `key_expired` in the same statement's transaction. Returns whether it did.
 */
export async function writeKeyLimits(
  tx: Prisma.TransactionClient,
  input: {
    keyId: string;
    name?: string;
    limits?: unknown;
    /** undefined: unchanged; null: never expires. */
    expiresAt?: Date | null;
    now: Date;
  },
): Promise<{ liftedExpired: boolean }> {
  await tx.apiKey.update({
    where: { id: input.keyId },
    data: {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.limits !== undefined ? { limits: input.limits as Prisma.InputJsonValue } : {}),
      ...(input.expiresAt !== undefined ? { expiresAt: input.expiresAt } : {}),
      updatedAt: input.now,
    },
  });
  if (
    input.expiresAt === undefined ||
    (input.expiresAt !== null && input.expiresAt.getTime() <= input.now.getTime())
  )
    return { liftedExpired: false };
  const lifted = await tx.apiKeyBlock.deleteMany({
    where: { apiKeyId: input.keyId, reason: "key_expired" },
  });
  return { liftedExpired: lifted.count > 0 };
}

/**
 * Blocks (`key_expired`) every key past its expiry that is not blocked for it yet, and
 * queues the block push for each, in one statement. Returns how many keys it blocked.
 */
export async function sweepExpiredKeys(db: Pick<Database, "prisma">, now: Date): Promise<number> {
  const [row] = await db.prisma.$queryRaw<{ blocked: number }[]>`
    WITH expired AS (
      INSERT INTO api_key_blocks (api_key_id, reason, created_at)
      SELECT k.id, 'key_expired', ${now} FROM api_keys k
       WHERE k.expires_at IS NOT NULL AND k.expires_at <= ${now}
      ON CONFLICT DO NOTHING
      RETURNING api_key_id),
    queued AS (
      INSERT INTO jobs (kind, payload, region_id, api_key_id)
      SELECT 'litellm.syncKeyBlock', jsonb_build_object('keyToken', k.litellm_key_id, 'keyId', k.id::text),
             k.region_id, k.id
        FROM expired e JOIN api_keys k ON k.id = e.api_key_id
       WHERE k.litellm_key_id IS NOT NULL
      RETURNING 1)
    SELECT (SELECT count(*) FROM expired)::int AS blocked, (SELECT count(*) FROM queued)::int AS queued`;
  return row!.blocked;
}

/** What the push of a key's limits sends, read when the job runs (null: the key is gone). */
export interface KeyPushState {
  name: string;
  teamId: string;
  regionName: string;
  limits: unknown;
  expiresAt: Date | null;
}

export async function keyPushState(
  db: Pick<Database, "prisma">,
  keyId: string,
): Promise<KeyPushState | null> {
  const [row] = await db.prisma.$queryRaw<KeyPushState[]>`
    SELECT k.name, k.team_id::text AS "teamId", r.name AS "regionName", k.limits,
           k.expires_at AS "expiresAt"
      FROM api_keys k JOIN regions r ON r.id = k.region_id WHERE k.id = ${keyId}::uuid`;
  return row ?? null;
}

// ---- member budgets

/** Sets (null: clears) a member's budget inside the team; false when not a member. */
export async function setMemberBudget(
  tx: Prisma.TransactionClient,
  input: { teamId: string; userId: string; maxBudgetUsd: number | null },
): Promise<{ found: boolean; before: number | null }> {
  const current = await tx.teamMember.findUnique({
    where: { teamId_userId: { teamId: input.teamId, userId: input.userId } },
    select: { maxBudgetUsd: true },
  });
  if (!current) return { found: false, before: null };
  await tx.teamMember.update({
    where: { teamId_userId: { teamId: input.teamId, userId: input.userId } },
    data: { maxBudgetUsd: input.maxBudgetUsd },
  });
  return { found: true, before: current.maxBudgetUsd };
}

/**
 * A member's budget inside the team now: a number, null (none), or undefined when the
 * person is no longer a member (the push job then has nothing to send).
 */
export async function memberBudget(
  db: Pick<Database, "prisma">,
  teamId: string,
  userId: string,
): Promise<number | null | undefined> {
  const row = await db.prisma.teamMember.findUnique({
    where: { teamId_userId: { teamId, userId } },
    select: { maxBudgetUsd: true },
  });
  return row === null ? undefined : row.maxBudgetUsd;
}

/** keyLimitsState outside a transaction (keys.get). */
export function keyLimitsStateOf(
  db: Pick<Database, "prisma">,
  keyId: string,
): Promise<KeyLimitsState | null> {
  return keyLimitsState(db.prisma, keyId);
}
