/**
 * The team's daily spend for the last 30 days, as a plain SVG bar chart. Loaded lazily
 * (React.lazy from team-spend-panel.tsx) so it never weighs on the first visit. No chart
 * library: one bar series with a scale and a few labels is ~2 kB here, where the smallest
 * React chart libraries add 40-100 kB gzip against the app's 250 kB initial budget.
 */
import { useQuery } from "@tanstack/react-query";
import { Skeleton } from "@/components/ui/skeleton.tsx";
import { formatUsd } from "@/lib/format.ts";
import { teamSpendHistoryQueryOptions } from "../api/teams-queries.ts";

const WIDTH = 600;
const HEIGHT = 140;
const PAD_TOP = 8;
const PAD_BOTTOM = 18;

export default function SpendChart({ teamId }: { teamId: string }): React.JSX.Element {
  const history = useQuery(teamSpendHistoryQueryOptions(teamId, 30));
  if (history.isPending) return <Skeleton className="h-36 w-full" />;
  if (history.isError)
    return <p className="text-sm text-destructive">The spend history could not be loaded.</p>;
  const days = history.data.days;
  const known = days.filter((d) => d.spendUsd !== null);
  const max = Math.max(0, ...known.map((d) => d.spendUsd ?? 0));
  const total = known.reduce((sum, d) => sum + (d.spendUsd ?? 0), 0);
  const slot = WIDTH / days.length;
  const plot = HEIGHT - PAD_TOP - PAD_BOTTOM;
  return (
    <figure className="flex flex-col gap-1" data-testid="spend-chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className="h-36 w-full"
        role="img"
        aria-label={`Daily spend, last ${days.length} days: ${formatUsd(total)} in total${known.length === 0 ? " (no readings yet)" : ""}`}
      >
        <line
          x1={0}
          x2={WIDTH}
          y1={HEIGHT - PAD_BOTTOM}
          y2={HEIGHT - PAD_BOTTOM}
          className="stroke-border"
          strokeWidth={1}
        />
        {days.map((d, i) => {
          const x = i * slot + slot * 0.15;
          const w = slot * 0.7;
          if (d.spendUsd === null) {
            // No reading that day: a faint marker, not a zero bar.
            return (
              <rect
                key={d.day}
                x={x}
                y={HEIGHT - PAD_BOTTOM - 2}
                width={w}
                height={2}
                className="fill-muted"
              />
            );
          }
          const h = max > 0 ? Math.max(1, (d.spendUsd / max) * plot) : 1;
          return (
            <rect
              key={d.day}
              x={x}
              y={HEIGHT - PAD_BOTTOM - h}
              width={w}
              height={h}
              rx={1}
              className="fill-primary"
              data-day={d.day}
            >
              <title>{`${d.day}: ${formatUsd(d.spendUsd)}`}</title>
            </rect>
          );
        })}
        <text x={0} y={HEIGHT - 4} className="fill-muted-foreground text-[10px]">
          {days[0]?.day}
        </text>
        <text
          x={WIDTH}
          y={HEIGHT - 4}
          textAnchor="end"
          className="fill-muted-foreground text-[10px]"
        >
          {days.at(-1)?.day}
        </text>
        <text
          x={WIDTH}
          y={PAD_TOP + 4}
          textAnchor="end"
          className="fill-muted-foreground text-[10px]"
        >
          {`max ${formatUsd(max)}/day`}
        </text>
      </svg>
      <figcaption className="text-xs text-muted-foreground">
        Spend per day (UTC), last {days.length} days · {formatUsd(total)} in total
      </figcaption>
    </figure>
  );
}
