/**
 * The reads of a region's reconciliation scan: Gatehouse's side of the two merge-joins (the
 * region's teams by id, its keys by token), a page at a time on a keyset, and the checks that
 * turn a candidate difference into a verdict (a token Gatehouse knows; a job in flight).
 */
import type { Database } from "../client.ts";

/** Gatehouse's view of one key of the region. */
export interface RegionKeyRow {
  id: string;
  name: string;
  teamId: string;
  teamName: string;
  token: string;
  creatorId: string | null;
  secretSealed: string | null;
  /**
   * Its owner left the team (`owner_left`): a proxy of a newer LiteLLM deletes it with the
   * member, an older one keeps it blocked, so its absence is no difference (re-adding or a
   * transfer brings it back); where it is present it must still be blocked, in its team.
   */
  ownerLeft: boolean;
}

/**
 * One page of the teams that own keys in the region (a team exists on a proxy once a key
 * was made there), in id order after `after` (from `after` itself when `inclusive`).
 */
export async function regionTeamsPage(
  db: Pick<Database, "pool">,
  page: { regionId: string; after: string; inclusive: boolean; limit: number },
): Promise<Array<{ id: string; name: string }>> {
  const { rows } = await db.pool.query<{ id: string; name: string }>(
    `SELECT t.id::text, t.name FROM teams t
      WHERE t.id IN (SELECT DISTINCT k.team_id FROM api_keys k
                      WHERE k.region_id = $1::uuid AND k.team_id ${page.inclusive ? ">=" : ">"} $2::uuid
                      ORDER BY k.team_id LIMIT $3)
      ORDER BY t.id`,
    [page.regionId, page.after, page.limit],
  );
  return rows;
}

/** One page of the region's keys in token order after `afterToken`. */
export async function regionKeysPage(
  db: Pick<Database, "pool">,
  page: { regionId: string; afterToken: string; limit: number },
): Promise<RegionKeyRow[]> {
  // Only sha256 ids: that is what LiteLLM lists, and hex sorts alike in every collation.
  const { rows } = await db.pool.query<RegionKeyRow>(
    `SELECT k.id::text, k.name, k.team_id::text AS "teamId", t.name AS "teamName",
            k.litellm_key_id AS token, k.creator_id::text AS "creatorId", k.secret_sealed AS "secretSealed",
            EXISTS (SELECT 1 FROM api_key_blocks b
                     WHERE b.api_key_id = k.id AND b.reason = 'owner_left') AS "ownerLeft"
       FROM api_keys k JOIN teams t ON t.id = k.team_id
      WHERE k.region_id = $1::uuid AND k.litellm_key_id > $2 AND k.litellm_key_id ~ '^[0-9a-f]{64}$'
      ORDER BY k.litellm_key_id LIMIT $3`,
    [page.regionId, page.afterToken, page.limit],
  );
  return rows;
}

/**
 * The LiteLLM tokens among `tokens` that some Gatehouse key (of any region) has, as its
 * secret or as a secret retiring after a rotation (still Gatehouse's until its job deletes it).
 */
export async function knownKeyTokens(
  db: Pick<Database, "pool">,
  tokens: readonly string[],
): Promise<Set<string>> {
  const { rows } = await db.pool.query<{ token: string }>(
    `SELECT litellm_key_id AS token FROM api_keys WHERE litellm_key_id = ANY($1::text[])
     UNION ALL
     SELECT litellm_key_id AS token FROM api_key_secrets WHERE litellm_key_id = ANY($1::text[])`,
    [tokens],
  );
  return new Set(rows.map((r) => r.token));
}

/** Keys (by Gatehouse id) with a job queued or running: their differences are in flight. */
export async function keysWithJobsInFlight(
  db: Pick<Database, "pool">,
  keyIds: readonly string[],
): Promise<Set<string>> {
  if (keyIds.length === 0) return new Set();
  const { rows } = await db.pool.query<{ id: string }>(
    `SELECT DISTINCT api_key_id::text AS id FROM jobs
      WHERE api_key_id = ANY($1::uuid[]) AND status IN ('PENDING', 'RUNNING')`,
    [keyIds],
  );
  return new Set(rows.map((r) => r.id));
}

/** LiteLLM teams of the region with a job queued or running that sets their state. */
export async function teamsWithStateJobsInFlight(
  db: Pick<Database, "pool">,
  regionId: string,
  liteLLMTeamIds: readonly string[],
): Promise<Set<string>> {
  if (liteLLMTeamIds.length === 0) return new Set();
  const { rows } = await db.pool.query<{ team_id: string }>(
    `SELECT DISTINCT payload->>'teamId' AS team_id FROM jobs
      WHERE status IN ('PENDING', 'RUNNING') AND region_id = $1::uuid
        AND kind IN ('litellm.ensureTeam', 'litellm.pushEntitlement', 'litellm.syncTeamBlock')
        AND payload->>'teamId' = ANY($2::text[])`,
    [regionId, liteLLMTeamIds],
  );
  return new Set(rows.map((r) => r.team_id));
}

/** LiteLLM teams of the region whose creation (`litellm.ensureTeam`) is queued or running. */
export async function teamsWithEnsureInFlight(
  db: Pick<Database, "pool">,
  regionId: string,
  liteLLMTeamIds: readonly string[],
): Promise<Set<string>> {
  if (liteLLMTeamIds.length === 0) return new Set();
  const { rows } = await db.pool.query<{ team_id: string }>(
    `SELECT DISTINCT payload->>'teamId' AS team_id FROM jobs
      WHERE status IN ('PENDING', 'RUNNING') AND kind = 'litellm.ensureTeam' AND region_id = $1::uuid
        AND payload->>'teamId' = ANY($2::text[])`,
    [regionId, liteLLMTeamIds],
  );
  return new Set(rows.map((r) => r.team_id));
}
