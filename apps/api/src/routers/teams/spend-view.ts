/** teams.get's `spend`, from the team's readings per region (read with the team, db loadTeamDetail). */
import { summarizeTeamSpend } from "@gatehouse/core";
import type { RegionTeamSpend } from "@gatehouse/db";
import type { z } from "zod";
import { toIsoOrNull } from "../shared.schema.ts";
import type { ZTeamSpend } from "./shared.schema.ts";

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
