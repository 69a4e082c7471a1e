/**
 * Spend as the API reads it: a team's daily points, an organization's total, keys' latest
 * readings. Hand-written SQL because the reads aggregate over regions; amounts are
 * `numeric(20,6)` in the database, parsed to JS numbers here.
 */
import type { Database } from "../client.ts";

export interface RegionTeamSpend {
  regionId: string;
  regionName: string;
  spendUsd: number | null;
  maxBudgetUsd: number | null;
  budgetResetAt: Date | null;
  asOf: Date | null;
  /** The region's last spend sync outcome ("ok", "failed") or null when never synced. */
  lastOutcome: string | null;
  lastError: string | null;
}

const num = (value: string | null): number | null => (value === null ? null : Number(value));

export interface DailyPointRow {
  teamId: string;
  regionId: string;
  /** `YYYY-MM-DD`. */
  day: string;
  spendUsd: number;
  budgetResetAt: Date | null;
}

/**
 * The daily points of some teams from `fromDay` to `toDay` (inclusive), plus each team and
 * region's last point before `fromDay` (the baseline core `periodSpend` needs).
 */
export async function dailySpendPoints(
  db: Pick<Database, "pool">,
  teamIds: readonly string[],
  fromDay: string,
  toDay: string,
): Promise<DailyPointRow[]> {
  if (teamIds.length === 0) return [];
  const { rows } = await db.pool.query<{
    team_id: string;
    region_id: string;
    day: string;
    spend_usd: string;
    budget_reset_at: Date | null;
  }>(
    `SELECT team_id::text, region_id::text, to_char(day, 'YYYY-MM-DD') AS day, spend_usd::text, budget_reset_at
       FROM team_spend_daily
      WHERE team_id = ANY($1::uuid[]) AND day BETWEEN $2::date AND $3::date
     UNION ALL
     SELECT b.team_id::text, b.region_id::text, to_char(b.day, 'YYYY-MM-DD'), b.spend_usd::text, b.budget_reset_at
       FROM unnest($1::uuid[]) AS t(id)
       CROSS JOIN LATERAL (
         SELECT DISTINCT ON (d.region_id) d.* FROM team_spend_daily d
          WHERE d.team_id = t.id AND d.day < $2::date
          ORDER BY d.region_id, d.day DESC
       ) b`,
    [teamIds, fromDay, toDay],
  );
  return rows.map((r) => ({
    teamId: r.team_id,
    regionId: r.region_id,
    day: r.day,
    spendUsd: Number(r.spend_usd),
    budgetResetAt: r.budget_reset_at,
  }));
}

/** Sum of the latest readings of an organization's teams, and the oldest reading in it. */
export async function organizationSpend(
  db: Pick<Database, "pool">,
  organizationId: string,
): Promise<{ totalUsd: number | null; asOf: Date | null }> {
  const { rows } = await db.pool.query<{ total: string | null; as_of: Date | null }>(
    `SELECT sum(s.spend_usd)::text AS total, min(s.as_of) AS as_of
       FROM teams t JOIN team_spend s ON s.team_id = t.id
      WHERE t.organization_id = $1::uuid`,
    [organizationId],
  );
  return { totalUsd: num(rows[0]?.total ?? null), asOf: rows[0]?.as_of ?? null };
}

/** Latest spend of some keys (keys never read are absent). */
export async function keySpend(
  db: Pick<Database, "pool">,
  apiKeyIds: readonly string[],
): Promise<Map<string, { spendUsd: number; asOf: Date }>> {
  if (apiKeyIds.length === 0) return new Map();
  const { rows } = await db.pool.query<{ api_key_id: string; spend_usd: string; as_of: Date }>(
    `SELECT api_key_id::text, spend_usd::text, as_of FROM api_key_spend WHERE api_key_id = ANY($1::uuid[])`,
    [apiKeyIds],
  );
  return new Map(rows.map((r) => [r.api_key_id, { spendUsd: Number(r.spend_usd), asOf: r.as_of }]));
}
