/**
 * Spend as the proxies counted it (read by the worker's spend sync, see src/spend/sync.ts):
 * a team's latest readings (teams.get), its daily history (teams.spendHistory) and the CSV
 * billing report (teams.spendReport).
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
import {
  csvField,
  dailyDeltas,
  forbidden,
  isOrgAdmin,
  lastDays,
  periodSpend,
  roundUsd,
  summarizeTeamSpend,
  utcDay,
  badRequest,
  type DailySpendPoint,
} from "@gatehouse/core";
import {
  dailySpendPoints,
  reportTeamsBatch,
  type DailyPointRow,
  type RegionTeamSpend,
} from "@gatehouse/db";
import type { z } from "zod";
import { authedProcedure, teamProcedure } from "../../trpc/init.ts";
import {
  ZSpendHistoryInput,
  ZSpendHistoryOutput,
  ZSpendReportInput,
  ZSpendReportOutput,
} from "./spend.schema.ts";
import { toIsoOrNull } from "../shared.schema.ts";
import type { ZTeamSpend } from "./shared.schema.ts";

/** teams.get's `spend` from the team's readings per region (read with the team, db loadTeamDetail). */
export function teamSpendView(regions: readonly RegionTeamSpend[]): z.infer<typeof ZTeamSpend> {
  const summary = summarizeTeamSpend(
    regions.map((r) => ({
      spendUsd: r.spendUsd,
      budgetUsd: r.maxBudgetUsd,
      budgetResetAt: r.budgetResetAt,
      asOf: r.asOf,
    })),
  );
  return {
    totalUsd: summary.totalUsd,
    budgetUsd: summary.budgetUsd,
    budgetResetAt: toIsoOrNull(summary.budgetResetAt),
    asOf: toIsoOrNull(summary.asOf),
    byRegion: regions.map((r) => ({
      regionId: r.regionId,
      regionName: r.regionName,
      spendUsd: r.spendUsd,
      budgetUsd: r.maxBudgetUsd,
      budgetResetAt: toIsoOrNull(r.budgetResetAt),
      asOf: toIsoOrNull(r.asOf),
      stale: r.asOf === null || r.lastOutcome !== "ok",
      error: r.lastOutcome === "failed" ? r.lastError : null,
    })),
  };
}

function byRegion(points: readonly DailyPointRow[]): Map<string, DailySpendPoint[]> {
  const out = new Map<string, DailySpendPoint[]>();
  for (const p of points) {
    const list = out.get(p.regionId) ?? [];
    list.push({ day: p.day, spendUsd: p.spendUsd, budgetResetAt: p.budgetResetAt });
    out.set(p.regionId, list);
  }
  for (const list of out.values())
    list.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  return out;
}

export const spendHistory = teamProcedure("view", ZSpendHistoryInput)
  .output(ZSpendHistoryOutput)
  .query(async ({ ctx, input }) => {
    const days = lastDays(ctx.clock.now(), input.days);
    const first = days[0]!;
    const points = await dailySpendPoints(ctx.db.pool, [input.teamId], first, days.at(-1)!);
    const perDay = new Map<string, number>();
    for (const list of byRegion(points).values()) {
      const before = list.filter((p) => p.day < first);
      const inside = list.filter((p) => p.day >= first);
      for (const [day, delta] of dailyDeltas(inside, before.at(-1) ?? null))
        perDay.set(day, roundUsd((perDay.get(day) ?? 0) + delta));
    }
    return { days: days.map((day) => ({ day, spendUsd: perDay.get(day) ?? null })) };
  });

const REPORT_BATCH = 1_000;

export const spendReport = authedProcedure
  .input(ZSpendReportInput)
  .output(ZSpendReportOutput)
  .query(async ({ ctx, input }) => {
    const { actor } = ctx;
    let organizationIds: string[] | null;
    if (input.organizationId) {
      if (!isOrgAdmin(actor, input.organizationId))
        throw forbidden(
          "Only system administrators and this organization's admins may export its spend",
        );
      organizationIds = [input.organizationId];
    } else if (actor.isSystemAdmin) {
      organizationIds = null;
    } else if (actor.adminOrgIds.length > 0) {
      organizationIds = [...actor.adminOrgIds];
    } else {
      throw forbidden("Only system administrators and organization admins may export spend");
    }
    if (input.from > utcDay(ctx.clock.now()))
      throw badRequest("The period has not started yet", { field: "from" });

    const regions = await ctx.db.prisma.region.findMany({ select: { id: true, name: true } });
    const regionName = new Map(regions.map((r) => [r.id, r.name]));
    const lines = [
      [
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
      ]
        .map(csvField)
        .join(","),
    ];
    let teams = 0;
    let totalUsd = 0;
    let afterId: string | null = null;
    for (;;) {
      // Teams a batch at a time (keyset on id), with their points: memory holds one batch.
      const batch = await reportTeamsBatch(ctx.db.pool, {
        organizationIds,
        afterId,
        toDay: input.to,
        limit: REPORT_BATCH,
      });
      if (batch.length === 0) break;
      const points = await dailySpendPoints(
        ctx.db.pool,
        batch.map((t) => t.id),
        input.from,
        input.to,
      );
      const perTeam = new Map<string, DailyPointRow[]>();
      for (const p of points) perTeam.set(p.teamId, [...(perTeam.get(p.teamId) ?? []), p]);
      for (const team of batch) {
        const regionsOfTeam = byRegion(perTeam.get(team.id) ?? []);
        const parts = [...regionsOfTeam.entries()]
          .map(([regionId, list]) => ({
            name: regionName.get(regionId) ?? regionId,
            usd: periodSpend([list], input.from, input.to),
          }))
          .sort((a, b) => (a.name < b.name ? -1 : 1));
        const total = periodSpend([...regionsOfTeam.values()], input.from, input.to);
        lines.push(
          [
            team.id,
            team.name,
            team.organizationId,
            team.organizationName,
            input.from,
            input.to,
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
    return {
      csv: `${lines.join("\r\n")}\r\n`,
      teams,
      totalUsd: roundUsd(totalUsd),
      from: input.from,
      to: input.to,
      currency: "USD" as const,
    };
  });
