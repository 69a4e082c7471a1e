/** The retention of spend history: the only statement that deletes daily points. */
import type { Database } from "../client.ts";

/** Daily points before the horizon ($1 day, $2 batch). Exported for the EXPLAIN test. */
export const PRUNE_CANDIDATES_SQL = `
  SELECT o.team_id, o.day, o.region_id FROM team_spend_daily o
   WHERE o.day < $1::date
   LIMIT $2`;

/**
 * Deletes up to `batch` daily spend points dated before `beforeDay` (the retention horizon,
 * GATEHOUSE_SPEND_RETENTION_DAYS) and returns how many: the worker calls it until it returns
 * fewer than `batch`, so a large backlog goes in short transactions. A range of
 * team_spend_daily_day_idx. The only statement that deletes spend history.
 */
export async function pruneSpendHistory(
  db: Pick<Database, "pool">,
  options: { beforeDay: string; batch: number },
): Promise<number> {
  const { rowCount } = await db.pool.query(
    `DELETE FROM team_spend_daily d WHERE (d.team_id, d.day, d.region_id) IN (${PRUNE_CANDIDATES_SQL})`,
    [options.beforeDay, options.batch],
  );
  return rowCount ?? 0;
}
