/**
 * What the team spent against its budget, as the proxies last reported it (teams.get
 * `spend`): a budget bar coloured by the share used (core budgetLevel), the reset date, each
 * region's reading, and how old the figures are. Unknown is shown as unknown ("—", "not read
 * yet"), never as $0. The daily chart is a lazily loaded chunk.
 */
import { budgetLevel, type BudgetLevel } from "@gatehouse/core";
import { lazy, Suspense } from "react";
import { SectionCard } from "@/components/section-card.tsx";
import { CardContent } from "@/components/ui/card.tsx";
import { Skeleton } from "@/components/ui/skeleton.tsx";
import { formatDate, formatRelative, formatUsd } from "@/lib/format.ts";
import { cn } from "@/lib/utils.ts";
import type { TeamSpend } from "../api/teams-queries.ts";

const SpendChart = lazy(() => import("./spend-chart.tsx"));

const barColour: Record<BudgetLevel, string> = {
  unknown: "bg-muted-foreground/40",
  ok: "bg-emerald-500",
  warning: "bg-amber-500",
  critical: "bg-orange-600",
  over: "bg-red-600",
};

const levelLabel: Record<BudgetLevel, string> = {
  unknown: "",
  ok: "within budget",
  warning: "over 75% of budget",
  critical: "over 90% of budget",
  over: "budget used up",
};

export function TeamSpendPanel({
  teamId,
  spend,
}: {
  teamId: string;
  spend: TeamSpend;
}): React.JSX.Element {
  const level = budgetLevel(spend.totalUsd, spend.budgetUsd);
  const share =
    spend.totalUsd !== null && spend.budgetUsd ? Math.min(1, spend.totalUsd / spend.budgetUsd) : 0;
  const stale = spend.byRegion.filter((r) => r.stale);
  return (
    <SectionCard id="spend" title="Spend" data-testid="team-spend">
      <CardContent className="flex flex-col gap-3 text-sm">
        <div className="flex items-baseline justify-between gap-2">
          <span className="text-lg font-semibold tabular-nums" data-testid="spend-total">
            {spend.totalUsd === null ? "Not read yet" : formatUsd(spend.totalUsd)}
          </span>
          <span className="text-muted-foreground tabular-nums">
            {spend.budgetUsd === null ? "no budget" : `of ${formatUsd(spend.budgetUsd)}`}
          </span>
        </div>
        {spend.budgetUsd !== null ? (
          <div
            role="meter"
            aria-label="Budget used"
            aria-valuemin={0}
            aria-valuemax={spend.budgetUsd}
            aria-valuenow={spend.totalUsd ?? undefined}
            aria-valuetext={
              spend.totalUsd === null
                ? "unknown"
                : `${formatUsd(spend.totalUsd)} of ${formatUsd(spend.budgetUsd)}, ${levelLabel[level]}`
            }
            data-level={level}
            data-testid="budget-bar"
            className="h-2.5 w-full overflow-hidden rounded-full bg-muted"
          >
            <div
              className={cn("h-full rounded-full transition-all", barColour[level])}
              style={{ width: `${(share * 100).toFixed(1)}%` }}
            />
          </div>
        ) : null}
        <p className="text-xs text-muted-foreground">
          {spend.budgetResetAt ? `Budget resets ${formatDate(spend.budgetResetAt)}. ` : null}
          {spend.asOf
            ? `As of ${formatRelative(spend.asOf)}.`
            : "The proxies have not been read yet."}
        </p>
        {stale.length > 0 && spend.asOf !== null ? (
          <p
            role="status"
            className="rounded-md border border-amber-500/40 bg-amber-500/10 px-2 py-1 text-xs"
            data-testid="spend-stale"
          >
            {stale.map((r) => r.regionName).join(", ")}: last read failed or never succeeded;
            showing the last known value
            {stale.length === 1 ? "" : "s"}.
          </p>
        ) : null}
        {spend.byRegion.length > 1 ? (
          <ul className="flex flex-col gap-1 text-xs">
            {spend.byRegion.map((r) => (
              <li key={r.regionId} className="flex justify-between gap-2">
                <span>{r.regionName}</span>
                <span className="tabular-nums" title={r.asOf ? `as of ${r.asOf}` : "never read"}>
                  {formatUsd(r.spendUsd)}
                  {r.stale ? " (stale)" : ""}
                </span>
              </li>
            ))}
          </ul>
        ) : null}
        <Suspense fallback={<Skeleton className="h-36 w-full" />}>
          <SpendChart teamId={teamId} />
        </Suspense>
      </CardContent>
    </SectionCard>
  );
}
