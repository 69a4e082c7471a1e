/**
 * The billing report's reads: the teams in scope a batch at a time, ended teams included, and
 * the region names its `by_region` column shows.
 */
import type { Database } from "../client.ts";

export interface ReportTeam {
  id: string;
  /** The team's name, or for a team that no longer exists its name when it ended. */
  name: string;
  organizationId: string | null;
  organizationName: string | null;
  /** `active`, `deleted` or `merged:<targetTeamId>`. */
  fate: string;
}

/**
 * Teams with at least one daily point up to `toDay`, in id order, a batch at a time (keyset
 * on id): the report streams them instead of loading every team. Teams that no longer exist
 * (ended_teams: deleted, merged away) come with the living ones, as they were when they
 * ended, so no spend a proxy counted drops out of a period. Each side is an ordered, limited
 * range (teams by primary key; ended_teams by primary key, or per organization by
 * ended_teams_organization_id_team_id_idx), merged and cut to the batch.
 */
export async function reportTeamsBatch(
  db: Pick<Database, "pool">,
  options: {
    organizationIds: readonly string[] | null;
    afterId: string | null;
    toDay: string;
    limit: number;
  },
): Promise<ReportTeam[]> {
  const { rows } = await db.pool.query<{
    id: string;
    name: string;
    organization_id: string | null;
    organization_name: string | null;
    fate: string;
  }>(
    `SELECT x.id::text, x.name, x.organization_id::text, o.name AS organization_name, x.fate
       FROM ((SELECT t.id, t.name, t.organization_id, 'active' AS fate
                FROM teams t
               WHERE ($1::uuid[] IS NULL OR t.organization_id = ANY($1::uuid[]))
                 AND ($2::uuid IS NULL OR t.id > $2::uuid)
                 AND EXISTS (SELECT 1 FROM team_spend_daily d WHERE d.team_id = t.id AND d.day <= $3::date)
               ORDER BY t.id
               LIMIT $4)
             UNION ALL
             (SELECT e.team_id, e.name, e.organization_id,
                     CASE WHEN e.fate = 'merged' THEN 'merged:' || e.merged_into_team_id::text ELSE e.fate END
                FROM ended_teams e
               WHERE ($1::uuid[] IS NULL OR e.organization_id = ANY($1::uuid[]))
                 AND ($2::uuid IS NULL OR e.team_id > $2::uuid)
                 AND EXISTS (SELECT 1 FROM team_spend_daily d WHERE d.team_id = e.team_id AND d.day <= $3::date)
               ORDER BY e.team_id
               LIMIT $4)) x
       LEFT JOIN organizations o ON o.id = x.organization_id
      ORDER BY x.id
      LIMIT $4`,
    [options.organizationIds, options.afterId, options.toDay, options.limit],
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    organizationId: r.organization_id,
    organizationName: r.organization_name,
    fate: r.fate,
  }));
}

/** Every region's name by id (the report names a team's regions in its `by_region` column). */
export async function regionNamesById(db: Pick<Database, "prisma">): Promise<Map<string, string>> {
  const regions = await db.prisma.region.findMany({ select: { id: true, name: true } });
  return new Map(regions.map((r) => [r.id, r.name]));
}
