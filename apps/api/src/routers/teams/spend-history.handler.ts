/**
 * teams.spendHistory: a team's spend per UTC day over the last days, as the proxies counted
 * it (core spendPerDay over the daily points the spend sync files).
 */
import { lastDays, pointsByRegion, spendPerDay } from "@gatehouse/core";
import { dailySpendPoints } from "@gatehouse/db";
import { teamProcedure } from "../../trpc/init.ts";
import { ZSpendHistoryInput, ZSpendHistoryOutput } from "./spend-history.schema.ts";

export const spendHistory = teamProcedure("view", ZSpendHistoryInput)
  .output(ZSpendHistoryOutput)
  .query(async ({ ctx, input }) => {
    const days = lastDays(ctx.clock.now(), input.days);
    const first = days[0]!;
    const points = await dailySpendPoints(ctx.db, [input.teamId], first, days.at(-1)!);
    const perDay = spendPerDay(pointsByRegion(points).values(), first);
    return { days: days.map((day) => ({ day, spendUsd: perDay.get(day) ?? null })) };
  });
