/** A key's block reasons, for one key (the worker's pushes) or many (reconciliation). */
import { blockState, type KeyBlockReason } from "@gatehouse/core";
import { poolOf, type PoolSource } from "../pool-source.ts";

/** A key's block reasons, or null when the key no longer exists. */
export async function keyBlockReasons(
  source: PoolSource,
  keyId: string,
): Promise<KeyBlockReason[] | null> {
  const pool = poolOf(source);
  const { rows } = await pool.query<{ exists: boolean; reasons: KeyBlockReason[] }>(
    `SELECT EXISTS (SELECT 1 FROM api_keys WHERE id = $1::uuid) AS exists,
            ARRAY(SELECT reason::text FROM api_key_blocks WHERE api_key_id = $1::uuid ORDER BY reason) AS reasons`,
    [keyId],
  );
  const row = rows[0];
  return row?.exists ? blockState(row.reasons).reasons : null;
}

/** Block reasons of many keys (keys without any are absent from the map). */
export async function keysBlockReasons(
  source: PoolSource,
  keyIds: readonly string[],
): Promise<Map<string, KeyBlockReason[]>> {
  const pool = poolOf(source);
  if (keyIds.length === 0) return new Map();
  const { rows } = await pool.query<{ id: string; reasons: KeyBlockReason[] }>(
    `SELECT api_key_id::text AS id, array_agg(reason::text ORDER BY reason) AS reasons
       FROM api_key_blocks WHERE api_key_id = ANY($1::uuid[]) GROUP BY api_key_id`,
    [keyIds],
  );
  return new Map(rows.map((r) => [r.id, r.reasons]));
}

/** Whether the key's row exists (a job of a key deleted meanwhile is moot). */
export async function apiKeyExists(source: PoolSource, keyId: string): Promise<boolean> {
  const pool = poolOf(source);
  const { rows } = await pool.query(`SELECT 1 FROM api_keys WHERE id = $1::uuid`, [keyId]);
  return rows.length > 0;
}
