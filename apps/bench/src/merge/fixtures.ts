/**
 * The merge benchmark's data: both teams, their members and keys in the database
 * (set-based SQL), and the same keys as the proxy holds them.
 */
import crypto from "node:crypto";
import { litellmKeyAlias, litellmTeamId } from "@gatehouse/core";
import type { ContractKey } from "@gatehouse/litellm/contract-server";
import type { Pool, QueryResultRow } from "pg";

export const MASTER_KEY = "sk-bench-master-key";
export const REGION = "bench region";

export interface Ids {
  region: string;
  source: string;
  target: string;
}

/** Rows, set-based: users, both teams, memberships (some in both), keys (some names in both). */
export async function populate(
  pool: Pool,
  o: {
    sourceKeys: number;
    targetKeys: number;
    members: number;
    conflicts: number;
    baseUrl: string;
  },
): Promise<Ids> {
  const q = async <T extends object = Record<string, unknown>>(
    sql: string,
    params: unknown[] = [],
  ) => (await pool.query<T & QueryResultRow>(sql, params)).rows;
  const [region] = await q<{ id: string }>(
    `INSERT INTO regions (name, litellm_base_url, litellm_master_key) VALUES ($1, $2, $3) RETURNING id::text`,
    [REGION, o.baseUrl, MASTER_KEY],
  );
  const [source] = await q<{ id: string }>(
    `INSERT INTO teams (name) VALUES ('Bench Source') RETURNING id::text`,
  );
  const [target] = await q<{ id: string }>(
    `INSERT INTO teams (name) VALUES ('Bench Target') RETURNING id::text`,
  );
  const ids = { region: region!.id, source: source!.id, target: target!.id };
  const run = crypto.randomBytes(3).toString("hex");
  await q(
    `INSERT INTO users (email, name, password_hash)
     SELECT 'bench-merge-' || $2 || '-' || lpad(g::text, 6, '0') || '@bench.test', 'member ' || g, 'x'
       FROM generate_series(1, $1::int) g`,
    [o.members, run],
  );
  // Every user is in the source with a cycling role; every 5th is in the target too, so
  // the merge adds, upgrades and keeps memberships.
  await q(
    `WITH u AS (SELECT id, row_number() OVER (ORDER BY email) AS n FROM users WHERE email LIKE 'bench-merge-' || $3 || '-%')
     INSERT INTO team_members (team_id, user_id, role)
     SELECT $1::uuid, id, (ARRAY['MEMBER','KEY_CREATOR','ADMIN','READ_ONLY'])[1 + n % 4]::"TeamRole" FROM u
     UNION ALL
     SELECT $2::uuid, id, (ARRAY['READ_ONLY','ADMIN','MEMBER','KEY_CREATOR'])[1 + n % 4]::"TeamRole" FROM u WHERE n % 5 = 0`,
    [ids.source, ids.target, run],
  );
  // Source keys by 100 different creators; target keys share the first `conflicts` names.
  await q(
    `WITH u AS (SELECT id, row_number() OVER (ORDER BY email) AS n FROM users WHERE email LIKE 'bench-merge-' || $4 || '-%')
     INSERT INTO api_keys (team_id, name, region_id, creator_id, litellm_key_id, key_prefix)
     SELECT $1::uuid, 'key-' || g, $2::uuid, u.id,
            encode(sha256(convert_to('sk-bench-' || $4 || '-s-' || g, 'UTF8')), 'hex'), 'sk-bench…'
       FROM generate_series(1, $3::int) g JOIN u ON u.n = 1 + g % 100`,
    [ids.source, ids.region, o.sourceKeys, run],
  );
  await q(
    `WITH u AS (SELECT id FROM users WHERE email LIKE 'bench-merge-' || $5 || '-%' ORDER BY email LIMIT 1)
     INSERT INTO api_keys (team_id, name, region_id, creator_id, litellm_key_id, key_prefix)
     SELECT $1::uuid, CASE WHEN g <= $4 THEN 'key-' || g ELSE 'tkey-' || g END, $2::uuid, u.id,
            encode(sha256(convert_to('sk-bench-' || $5 || '-t-' || g, 'UTF8')), 'hex'), 'sk-bench…'
       FROM generate_series(1, $3::int) g CROSS JOIN u`,
    [ids.target, ids.region, o.targetKeys, o.conflicts, run],
  );
  await q(`ANALYZE`);
  return ids;
}

export interface StateMessage {
  teams: Array<{ teamId: string; teamAlias: string; members: string[] }>;
  keys: ContractKey[];
}

/** The proxy's side of the same keys, as the contract server's state holds them. */
export async function litellmState(pool: Pool, ids: Ids): Promise<StateMessage> {
  const now = new Date().toISOString();
  const { rows } = await pool.query<{
    id: string;
    name: string;
    team_id: string;
    creator_id: string;
    litellm_key_id: string;
  }>(
    `SELECT id::text, name, team_id::text, creator_id::text, litellm_key_id FROM api_keys WHERE team_id IN ($1::uuid, $2::uuid)`,
    [ids.source, ids.target],
  );
  const teams = new Map<string, { teamId: string; teamAlias: string; members: Set<string> }>();
  const keys: ContractKey[] = [];
  for (const row of rows) {
    const teamId = litellmTeamId(REGION, row.team_id);
    const team = teams.get(teamId) ?? {
      teamId,
      teamAlias: row.team_id === ids.source ? "Bench Source" : "Bench Target",
      members: new Set(),
    };
    teams.set(teamId, team);
    team.members.add(row.creator_id);
    keys.push({
      token: row.litellm_key_id,
      keyName: `sk-...${row.litellm_key_id.slice(-4)}`,
      keyAlias: litellmKeyAlias(teamId, row.name),
      teamId,
      userId: row.creator_id,
      metadata: { gatehouse_key_id: row.id, gatehouse_team_id: row.team_id },
      createdAt: now,
      updatedAt: now,
    });
  }
  return { teams: [...teams.values()].map((t) => ({ ...t, members: [...t.members] })), keys };
}
