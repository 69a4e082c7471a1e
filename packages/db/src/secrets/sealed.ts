/**
 * Where sealed secrets live, read and rewritten in batches for start-up sealing and
 * `gatehouse reseal-secrets`: regions' master keys, keys' secrets, the secrets copied
 * into restore jobs not yet done, and identity providers' client secrets. Sealing itself is the app's (the operator key never
 * reaches the database); each rewrite names the value it replaces, so two processes sealing
 * at once cannot overwrite each other's work with a stale value.
 */
import type { Database } from "../client.ts";

/** One sealed (or clear) value and what it is bound to (the additional data's subject). */
export interface StoredSecret {
  /** The row: a region id, a key id, or a job id. */
  id: string;
  /** What the seal binds: the region id, or the key's LiteLLM key id. */
  binding: string;
  value: string;
}

export type SecretPlace =
  | "regionMasterKey"
  | "keySecret"
  | "restoreJobSecret"
  /** OIDC client secrets of identity providers, bound to `idp:<provider id>`. */
  | "idpClientSecret"
  /** Webhook signing secrets (current and the one before a rotation), bound to `webhook:<id>`. */
  | "webhookSecret"
  | "webhookPreviousSecret";

const BATCH = 1000;

/** One batch of stored values after `afterId` (ordered by id), for `place`. */
export async function storedSecrets(
  db: Database,
  place: SecretPlace,
  afterId: string | null,
): Promise<StoredSecret[]> {
  const query = {
    regionMasterKey: `SELECT id::text AS id, id::text AS binding, litellm_master_key AS value
      FROM regions WHERE ($1::uuid IS NULL OR id > $1::uuid) ORDER BY id LIMIT ${BATCH}`,
    keySecret: `SELECT id::text AS id, litellm_key_id AS binding, secret_sealed AS value
      FROM api_keys WHERE secret_sealed IS NOT NULL AND litellm_key_id IS NOT NULL
        AND ($1::uuid IS NULL OR id > $1::uuid) ORDER BY id LIMIT ${BATCH}`,
    restoreJobSecret: `SELECT id::text AS id, payload->>'keyToken' AS binding,
        payload->>'secretSealed' AS value
      FROM jobs WHERE kind = 'litellm.restoreKey' AND status <> 'DONE'
        AND payload ? 'secretSealed' AND ($1::bigint IS NULL OR id > $1::bigint)
      ORDER BY id LIMIT ${BATCH}`,
    idpClientSecret: `SELECT id::text AS id, 'idp:' || id::text AS binding,
        client_secret_sealed AS value
      FROM identity_providers WHERE ($1::uuid IS NULL OR id > $1::uuid) ORDER BY id LIMIT ${BATCH}`,
    webhookSecret: `SELECT id::text AS id, 'webhook:' || id::text AS binding, secret_sealed AS value
      FROM webhooks WHERE ($1::uuid IS NULL OR id > $1::uuid) ORDER BY id LIMIT ${BATCH}`,
    webhookPreviousSecret: `SELECT id::text AS id, 'webhook:' || id::text AS binding,
        previous_secret_sealed AS value
      FROM webhooks WHERE previous_secret_sealed IS NOT NULL
        AND ($1::uuid IS NULL OR id > $1::uuid) ORDER BY id LIMIT ${BATCH}`,
  }[place];
  const { rows } = await db.pool.query<StoredSecret>(query, [afterId]);
  return rows;
}

/** Replaces one stored value if it is still `from`; true when it did. */
export async function replaceStoredSecret(
  db: Database,
  place: SecretPlace,
  id: string,
  from: string,
  to: string,
): Promise<boolean> {
  const query = {
    regionMasterKey: `UPDATE regions SET litellm_master_key = $3
      WHERE id = $1::uuid AND litellm_master_key = $2`,
    keySecret: `UPDATE api_keys SET secret_sealed = $3 WHERE id = $1::uuid AND secret_sealed = $2`,
    restoreJobSecret: `UPDATE jobs SET payload = jsonb_set(payload, '{secretSealed}', to_jsonb($3::text))
      WHERE id = $1::bigint AND payload->>'secretSealed' = $2`,
    idpClientSecret: `UPDATE identity_providers SET client_secret_sealed = $3
      WHERE id = $1::uuid AND client_secret_sealed = $2`,
    webhookSecret: `UPDATE webhooks SET secret_sealed = $3 WHERE id = $1::uuid AND secret_sealed = $2`,
    webhookPreviousSecret: `UPDATE webhooks SET previous_secret_sealed = $3
      WHERE id = $1::uuid AND previous_secret_sealed = $2`,
  }[place];
  const result = await db.pool.query(query, [id, from, to]);
  return (result.rowCount ?? 0) > 0;
}
