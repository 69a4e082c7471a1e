/**
 * Key rotation's rows: the key's current secret stays on api_keys (everything that reads a
 * key's token sees the new one at once), its previous one waits in api_key_secrets until its
 * overlap ends. The proxy side runs as jobs (core `litellm.addKeySecret`,
 * `litellm.retireKeySecret`), queued here in the transaction of the change.
 */
import { jobs } from "@gatehouse/core";
import { AUDIT_COLUMNS, auditValues, type AuditRow } from "../audit/row.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { enqueueJobs } from "../jobs/enqueue.ts";
import { poolOf, type PoolSource } from "../pool-source.ts";
import type { Tx } from "../transaction.ts";

export interface RotateKeySecretInput {
  keyId: string;
  /** The token the caller read (scheduled rotation): another rotation since wins. */
  expectToken?: string;
  newToken: string;
  keyPrefix: string;
  secretSealed: string;
  now: Date;
  retireAt: Date;
  /** A scheduled rotation: the owner and team admins may reveal the new secret once. */
  revealPending: boolean;
}

export interface RotatedKeySecret {
  keyId: string;
  teamId: string;
  name: string;
  regionId: string;
  oldToken: string;
  oldPrefix: string;
  /** Earlier retiring secrets whose overlap this rotation ended. */
  cutShort: number;
}

/** Why a key was not rotated. */
export type RotateRefusal = "gone" | "not_on_proxy" | "superseded";

/**
 * Makes `newToken` the key's secret and its previous one a retiring secret until
 * `retireAt` (retired at once when that is not after `now`), and queues the proxy work: the
 * new secret's creation, and the retirement of every secret whose time is up (an earlier
 * rotation's still retiring one too: rotating again ends its overlap). Under the key's row
 * lock, so two rotations of one key run one after the other.
 */
export async function rotateKeySecret(
  tx: Tx,
  input: RotateKeySecretInput,
): Promise<RotatedKeySecret | RotateRefusal> {
  const [key] = await tx.$queryRaw<
    Array<{
      team_id: string;
      name: string;
      region_id: string;
      litellm_key_id: string | null;
      key_prefix: string;
      secret_sealed: string | null;
    }>
  >`SELECT team_id::text, name, region_id::text, litellm_key_id, key_prefix, secret_sealed
      FROM api_keys WHERE id = ${input.keyId}::uuid FOR UPDATE`;
  if (!key) return "gone";
  if (key.litellm_key_id === null) return "not_on_proxy";
  if (input.expectToken !== undefined && key.litellm_key_id !== input.expectToken)
    return "superseded";
  const retireNow = input.retireAt.getTime() <= input.now.getTime();
  const cut = await tx.$queryRaw<Array<{ token: string }>>`
    UPDATE api_key_secrets SET state = 'deleting', retire_at = LEAST(retire_at, ${input.now})
     WHERE api_key_id = ${input.keyId}::uuid AND state = 'retiring'
    RETURNING litellm_key_id AS token`;
  await tx.$executeRaw`
    INSERT INTO api_key_secrets (litellm_key_id, api_key_id, key_prefix, secret_sealed, state, retire_at, created_at)
    VALUES (${key.litellm_key_id}, ${input.keyId}::uuid, ${key.key_prefix}, ${key.secret_sealed},
            ${retireNow ? "deleting" : "retiring"}, ${input.retireAt}, ${input.now})`;
  await tx.$executeRaw`
    UPDATE api_keys SET litellm_key_id = ${input.newToken}, key_prefix = ${input.keyPrefix},
           secret_sealed = ${input.secretSealed}, rotated_at = ${input.now},
           secret_reveal_pending = ${input.revealPending}, updated_at = ${input.now}
     WHERE id = ${input.keyId}::uuid`;
  const placement = { regionId: key.region_id, apiKeyId: input.keyId };
  const retiring = [...cut.map((c) => c.token), ...(retireNow ? [key.litellm_key_id] : [])];
  await enqueueJobs(tx, [
    jobs.addKeySecret({ keyId: input.keyId, keyToken: input.newToken }, placement),
    ...retiring.map((token) =>
      jobs.retireKeySecret({ keyId: input.keyId, keyToken: token }, placement),
    ),
  ]);
  return {
    keyId: input.keyId,
    teamId: key.team_id,
    name: key.name,
    regionId: key.region_id,
    oldToken: key.litellm_key_id,
    oldPrefix: key.key_prefix,
    cutShort: cut.length,
  };
}

/**
 * Queues the retirement of every secret whose overlap has ended (the worker's sweep), in one
 * statement: a secret moves to `deleting` exactly once, so two workers queue it once.
 */
export async function queueDueSecretRetirements(source: PoolSource, now: Date): Promise<number> {
  const { rowCount } = await poolOf(source).query(
    `WITH due AS (
       UPDATE api_key_secrets s SET state = 'deleting'
        WHERE s.state = 'retiring' AND s.retire_at <= $1::timestamptz
       RETURNING s.api_key_id, s.litellm_key_id)
     INSERT INTO jobs (kind, payload, region_id, api_key_id)
     SELECT 'litellm.retireKeySecret',
            jsonb_build_object('keyId', d.api_key_id::text, 'keyToken', d.litellm_key_id),
            k.region_id, d.api_key_id
       FROM due d JOIN api_keys k ON k.id = d.api_key_id`,
    [now],
  );
  return rowCount ?? 0;
}

/** What the rotation jobs need to know about a key now. */
export interface KeySecretsState {
  keyId: string;
  /** The current secret's LiteLLM token and its sealed secret. */
  keyToken: string | null;
  secretSealed: string | null;
  name: string;
  teamId: string;
  teamName: string;
  regionName: string;
  creatorId: string | null;
  reasons: string[];
  /** The tokens of its retiring secrets (still on the proxy, or being deleted there). */
  retiringTokens: string[];
}

/** The key's secrets and what placing them needs, or null when the key no longer exists. */
export async function keySecretsState(
  source: PoolSource,
  keyId: string,
): Promise<KeySecretsState | null> {
  const { rows } = await poolOf(source).query<{
    keyToken: string | null;
    secretSealed: string | null;
    name: string;
    teamId: string;
    teamName: string;
    regionName: string;
    creatorId: string | null;
    reasons: string[];
    retiringTokens: string[];
  }>(
    `SELECT k.litellm_key_id AS "keyToken", k.secret_sealed AS "secretSealed", k.name,
            k.team_id::text AS "teamId", t.name AS "teamName", r.name AS "regionName",
            k.creator_id::text AS "creatorId",
            ARRAY(SELECT b.reason::text FROM api_key_blocks b WHERE b.api_key_id = k.id ORDER BY b.reason) AS reasons,
            ARRAY(SELECT s.litellm_key_id FROM api_key_secrets s WHERE s.api_key_id = k.id ORDER BY s.created_at) AS "retiringTokens"
       FROM api_keys k JOIN teams t ON t.id = k.team_id JOIN regions r ON r.id = k.region_id
      WHERE k.id = $1::uuid`,
    [keyId],
  );
  const row = rows[0];
  return row ? { keyId, ...row } : null;
}

/** The tokens of a key's retiring secrets (none when the key is gone). */
export async function retiringKeyTokens(source: PoolSource, keyId: string): Promise<string[]> {
  const { rows } = await poolOf(source).query<{ token: string }>(
    `SELECT litellm_key_id AS token FROM api_key_secrets WHERE api_key_id = $1::uuid ORDER BY created_at`,
    [keyId],
  );
  return rows.map((r) => r.token);
}

/**
 * Forgets a retired secret after its proxy delete, with its `key.secret_retired` audit event
 * in the same statement (none when it was forgotten already: a job run twice).
 */
export async function forgetRetiredSecret(
  source: PoolSource,
  input: { keyToken: string; audit: Omit<AuditRow, "targetId" | "organizationId"> },
): Promise<boolean> {
  const audit = auditValues(
    { ...input.audit, organizationId: null },
    2,
    "jsonb_build_object('keyPrefix', g.key_prefix)",
  );
  const { rowCount } = await poolOf(source).query(
    `WITH gone AS (DELETE FROM api_key_secrets WHERE litellm_key_id = $1 RETURNING api_key_id, key_prefix)
     INSERT INTO audit_events (${AUDIT_COLUMNS})
     SELECT ${audit.sql.replace("$6::uuid", "COALESCE($6::uuid, t.organization_id)")}, g.api_key_id::text
       FROM gone g JOIN api_keys k ON k.id = g.api_key_id JOIN teams t ON t.id = k.team_id`,
    [input.keyToken, ...audit.values],
  );
  if ((rowCount ?? 0) > 0) return true;
  // The key itself is gone (its delete took the row with it): nothing left to record.
  await poolOf(source).query(`DELETE FROM api_key_secrets WHERE litellm_key_id = $1`, [
    input.keyToken,
  ]);
  return false;
}

/** A key's retiring secret as keys.list shows it. */
export interface RetiringSecretRow {
  keyPrefix: string;
  retireAt: Date;
  state: "retiring" | "deleting";
}

/** The retiring secrets of some keys (keys without any are absent). */
export async function retiringSecretsOfKeys(
  source: PoolSource,
  keyIds: readonly string[],
): Promise<Map<string, RetiringSecretRow[]>> {
  const out = new Map<string, RetiringSecretRow[]>();
  if (keyIds.length === 0) return out;
  const { rows } = await poolOf(source).query<RetiringSecretRow & { keyId: string }>(
    `SELECT api_key_id::text AS "keyId", key_prefix AS "keyPrefix", retire_at AS "retireAt", state
       FROM api_key_secrets WHERE api_key_id = ANY($1::uuid[]) ORDER BY created_at`,
    [keyIds],
  );
  for (const { keyId, ...row } of rows) out.set(keyId, [...(out.get(keyId) ?? []), row]);
  return out;
}

/** A key a rotation policy says is due. */
export interface DueKeyRotation {
  keyId: string;
  keyToken: string;
  everyDays: number;
}

/**
 * Keys whose policy (the smallest `rotateEveryDays` of the team and its active products)
 * says their secret is older than allowed, oldest first. Only keys whose secret is kept
 * sealed: the new one must be revealable and placeable by the worker.
 */
export async function dueKeyRotations(
  source: PoolSource,
  input: { now: Date; limit: number },
): Promise<DueKeyRotation[]> {
  const { rows } = await poolOf(source).query<DueKeyRotation>(
    `SELECT k.id::text AS "keyId", k.litellm_key_id AS "keyToken", e.days AS "everyDays"
       FROM api_keys k JOIN teams t ON t.id = k.team_id
      CROSS JOIN LATERAL (
        SELECT LEAST(t.rotate_every_days,
                     (SELECT min((p.limits->>'rotateEveryDays')::int)
                        FROM team_products tp JOIN products p ON p.id = tp.product_id
                       WHERE tp.team_id = k.team_id AND tp.status = 'ACTIVE' AND p.is_active
                         AND jsonb_typeof(p.limits->'rotateEveryDays') = 'number')) AS days) e
      WHERE e.days >= 1 AND k.litellm_key_id IS NOT NULL AND k.secret_sealed IS NOT NULL
        AND COALESCE(k.rotated_at, k.created_at) + make_interval(days => e.days) <= $1::timestamptz
      ORDER BY COALESCE(k.rotated_at, k.created_at), k.id
      LIMIT $2`,
    [input.now, input.limit],
  );
  return rows;
}

/**
 * Takes the right to reveal the key's current secret once (a scheduled rotation's): returns
 * the sealed secret and its token and clears the right, or null when there is none.
 */
export async function takeSecretReveal(
  tx: Tx,
  keyId: string,
): Promise<{ keyToken: string; secretSealed: string } | null> {
  const [row] = await tx.$queryRaw<Array<{ keyToken: string; secretSealed: string }>>`
    UPDATE api_keys SET secret_reveal_pending = false
     WHERE id = ${keyId}::uuid AND secret_reveal_pending
       AND secret_sealed IS NOT NULL AND litellm_key_id IS NOT NULL
    RETURNING litellm_key_id AS "keyToken", secret_sealed AS "secretSealed"`;
  return row ?? null;
}

/** Who is told of a scheduled rotation: the key's creator and the team's admins. */
export async function rotationRecipients(
  tx: Pick<Prisma.TransactionClient, "$queryRaw">,
  keyId: string,
): Promise<Array<{ userId: string; email: string }>> {
  return tx.$queryRaw<Array<{ userId: string; email: string }>>`
    SELECT DISTINCT u.id::text AS "userId", u.email
      FROM api_keys k JOIN users u
        ON u.id = k.creator_id
        OR u.id IN (SELECT tm.user_id FROM team_members tm WHERE tm.team_id = k.team_id AND tm.role = 'ADMIN')
     WHERE k.id = ${keyId}::uuid AND u.is_active`;
}
