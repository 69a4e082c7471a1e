/**
 * The CSV billing report of a period: one row per team in scope with its spend as the
 * proxies counted it (read by the worker's spend sync, see src/spend/sync.ts).
 *
 * How a period's spend is computed (core `periodSpend`): the sync files, per team and region,
 * the last cumulative reading of each UTC day. For each region, the spend of a period
 * [from, to] is the sum of the differences between consecutive readings dated inside it,
 * the first one taken against the region's last reading before `from` (or from 0 when the
 * team has none: its first reading is counted whole). A reading below the previous one, or
 * a later budget_reset_at, is a budget reset: the reading itself is the spend since. Spend
 * between the last reading before a reset and the reset is not seen (at most one sync
 * interval's worth); a region that could not be read for days gets its spend filed on the
 * day it is read again.
 *
 * Teams that no longer exist stay in the report for the periods their points fall in, under
 * their own id and their name when they ended, with a `fate` column (`active`, `deleted`,
 * `merged:<targetTeamId>`): a merged-away team's spend up to the merge is its own row, and
 * the target's row counts what the target's LiteLLM team counted (the moved keys' spend
 * from the merge on). An organization's total (`totalUsd` with `organizationId`) is the sum
 * of its rows, ended teams included.
 */
import { csvField, periodSpend, pointsByRegion, roundUsd } from "@gatehouse/core";
import {
  dailySpendPoints,
  regionNamesById,
  reportTeamsBatch,
  type DailyPointRow,
  type Database,
} from "@gatehouse/db";

const REPORT_BATCH = 1_000;

const HEADER = [
  "team_id",
  "team_name",
  "organization_id",
  "organization_name",
  "period_from",
  "period_to",
  "spend_usd",
  "currency",
  "by_region",
  "fate",
];

export interface SpendReport {
  csv: string;
  teams: number;
  totalUsd: number;
}

/** The report of [from, to] over the teams of `organizationIds` (null: every team). */
export async function buildSpendReport(
  db: Database,
  scope: { organizationIds: readonly string[] | null; from: string; to: string },
): Promise<SpendReport> {
  const { from, to } = scope;
  const regionName = await regionNamesById(db);
  const lines = [HEADER.map(csvField).join(",")];
  let teams = 0;
  let totalUsd = 0;
  let afterId: string | null = null;
  for (;;) {
    // Teams a batch at a time (keyset on id), with their points: memory holds one batch.
    const batch = await reportTeamsBatch(db, {
      organizationIds: scope.organizationIds,
      afterId,
      toDay: to,
      limit: REPORT_BATCH,
    });
    if (batch.length === 0) break;
    const points = await dailySpendPoints(
      db,
      batch.map((t) => t.id),
      from,
      to,
    );
    const perTeam = new Map<string, DailyPointRow[]>();
    for (const p of points) perTeam.set(p.teamId, [...(perTeam.get(p.teamId) ?? []), p]);
    for (const team of batch) {
      const regionsOfTeam = pointsByRegion(perTeam.get(team.id) ?? []);
      const parts = [...regionsOfTeam.entries()]
        .map(([regionId, list]) => ({
          name: regionName.get(regionId) ?? regionId,
          usd: periodSpend([list], from, to),
        }))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      const total = periodSpend([...regionsOfTeam.values()], from, to);
      lines.push(
        [
          team.id,
          team.name,
          team.organizationId,
          team.organizationName,
          from,
          to,
          total.toFixed(6),
          "USD",
          parts.map((p) => `${p.name}=${p.usd.toFixed(6)}`).join(";"),
          team.fate,
        ]
          .map(csvField)
          .join(","),
      );
      teams += 1;
      totalUsd += total;
    }
    afterId = batch.at(-1)!.id;
    if (batch.length < REPORT_BATCH) break;
  }
  return { csv: `${lines.join("\r\n")}\r\n`, teams, totalUsd: roundUsd(totalUsd) };
}
