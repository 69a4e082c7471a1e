/**
 * The database side of keys.create (the workflow is apps/api/src/workflows/keys/create.ts):
 * the region, the team's state under its lock, and the insert. Few statements on purpose:
 * under load each round trip is a wait for a pooled connection.
 */
import { insertAudit, type AuditRow } from "../audit/index.ts";
import { namedStatement, type Database } from "../client.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { pendingKeyDeletesForAlias, settleJobsDone } from "../jobs/index.ts";
import { requeueBlockedNewKey } from "../teams/leave.ts";

/** The region a key is created in (null: no such region). A prepared, named statement. */
export async function regionForNewKey(
  db: Pick<Database, "pool">,
  regionId: string,
): Promise<{ id: string; name: string; isActive: boolean } | null> {
  const { rows } = await db.pool.query<{ id: string; name: string; is_active: boolean }>(
    namedStatement(db.pool, `SELECT id::text, name, is_active FROM regions WHERE id = $1::uuid`, [
      regionId,
    ]),
  );
  const region = rows[0];
  return region ? { id: region.id, name: region.name, isActive: region.is_active } : null;
}

/** What keys.create checks, read in one statement after the caller locked the team. */
export interface NewKeyTeamState {
  /** The team's block reasons, sorted. */
  blocks: string[];
  /** The team's active products, with their stored (possibly legacy) limits. */
  products: Array<{ id: string; name: string; limits: unknown }>;
  /** How many keys the team has, across all regions. */
  keys: number;
  /** Whether the team already has a key of this name. */
  taken: boolean;
  /** The creating user's role in the team now (null: not a member, or no user given). */
  callerRole: string | null;
}

/**
 * The team's state for a new key named `name`. A statement of its own on purpose: under
 * READ COMMITTED it takes its snapshot after the caller's lock on the team was granted, so
 * it sees a competing create that committed meanwhile.
 */
export async function newKeyTeamState(
  tx: Prisma.TransactionClient,
  teamId: string,
  name: string,
  /** The creating user, whose role is read under the same lock (a removal may have won). */
  callerUserId: string | null = null,
): Promise<NewKeyTeamState> {
  const [state] = await tx.$queryRaw<NewKeyTeamState[]>`
    SELECT ARRAY(SELECT reason::text FROM team_blocks WHERE team_id = ${teamId}::uuid ORDER BY reason) AS blocks,
           COALESCE((SELECT json_agg(json_build_object('id', p.id, 'name', p.name, 'limits', p.limits))
                       FROM team_products tp JOIN products p ON p.id = tp.product_id
                      WHERE tp.team_id = ${teamId}::uuid AND tp.status = 'ACTIVE'), '[]'::json) AS products,
           (SELECT count(*) FROM api_keys WHERE team_id = ${teamId}::uuid)::int AS keys,
           EXISTS (SELECT 1 FROM api_keys WHERE team_id = ${teamId}::uuid AND name = ${name}) AS taken,
           (SELECT role::text FROM team_members
             WHERE team_id = ${teamId}::uuid AND user_id = ${callerUserId}::uuid) AS "callerRole"`;
  // One row always: the statement has no FROM.
  return state!;
}

export interface NewApiKey {
  name: string;
  teamId: string;
  regionId: string;
  creatorId: string | null;
  /** The key's LiteLLM id (the token of its secret). */
  litellmKeyId: string;
  keyPrefix: string;
  secretSealed: string | null;
  now: Date;
  /** core ZKeyLimits, whole (default: none of its own). */
  limits?: unknown;
  /** null/absent: never expires. */
  expiresAt?: Date | null;
}

/** Inserts the key and reads back, in the same statement, what keys.list shows of it. */
export async function insertApiKey(
  tx: Prisma.TransactionClient,
  key: NewApiKey,
): Promise<{ id: string; teamName: string; creatorEmail: string | null; createdAt: Date }> {
  const [inserted] = await tx.$queryRaw<
    Array<{ id: string; team_name: string; creator_email: string | null; created_at: Date }>
  >`WITH k AS (
        INSERT INTO api_keys (name, team_id, region_id, creator_id, litellm_key_id, key_prefix, secret_sealed, created_at, updated_at, limits, expires_at)
        VALUES (${key.name}, ${key.teamId}::uuid, ${key.regionId}::uuid, ${key.creatorId}::uuid, ${key.litellmKeyId}, ${key.keyPrefix},
                ${key.secretSealed}, ${key.now}, ${key.now}, ${JSON.stringify(key.limits ?? {})}::jsonb, ${key.expiresAt ?? null})
        RETURNING id, team_id, creator_id, created_at)
      SELECT k.id::text, t.name AS team_name, u.email AS creator_email, k.created_at
        FROM k JOIN teams t ON t.id = k.team_id LEFT JOIN users u ON u.id = k.creator_id`;
  const row = inserted!;
  return {
    id: row.id,
    teamName: row.team_name,
    creatorEmail: row.creator_email,
    createdAt: row.created_at,
  };
}

/**
 * Runs now the queued proxy deletes of keys that held `keyAlias` in this region (deleted in
 * Gatehouse, not yet on the proxy) through `deleteOnProxy`, and marks their jobs done.
 * Returns whether any ran.
 */
export async function runPendingKeyDeletes(
  db: Pick<Database, "pool">,
  regionId: string,
  keyAlias: string,
  deleteOnProxy: (keyTokens: string[]) => Promise<unknown>,
): Promise<boolean> {
  const pending = await pendingKeyDeletesForAlias(db.pool, regionId, keyAlias);
  if (pending.length === 0) return false;
  await deleteOnProxy(pending.map((p) => p.keyToken));
  await settleJobsDone(
    db.pool,
    pending.map((p) => p.id),
  );
  return true;
}

/**
 * After the proxy made the key: the jobs a removal or disable of its creator queued
 * meanwhile, again (teams/leave.ts requeueBlockedNewKey), then the key's audit event. Two
 * statements and no transaction of their own: the key's row committed already. Returns
 * the jobs queued.
 */
export async function finishKeyCreate(
  db: Pick<Database, "prisma">,
  keyId: string,
  audit: AuditRow,
): Promise<number> {
  const requeued = await requeueBlockedNewKey(db.prisma, keyId);
  await insertAudit(db.prisma, audit);
  return requeued;
}
