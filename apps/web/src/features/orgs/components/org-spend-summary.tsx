/** The organization's teams' latest spend, summed (orgs.get `spend`); unknown is not $0. */
import { useQuery } from "@tanstack/react-query";
import { formatRelative, formatUsd } from "@/lib/format.ts";
import { orgQueryOptions } from "../api/orgs-queries.ts";

export function OrgSpendSummary({ orgId }: { orgId: string }): React.JSX.Element | null {
  const detail = useQuery(orgQueryOptions(orgId));
  if (!detail.data) return null;
  const { spend } = detail.data;
  return (
    <p className="mb-4 text-sm" data-testid="org-spend">
      <span className="text-muted-foreground">Teams' spend: </span>
      <span className="font-semibold tabular-nums">
        {spend.totalUsd === null ? "not read yet" : formatUsd(spend.totalUsd)}
      </span>
      {spend.asOf ? (
        <span className="text-xs text-muted-foreground"> · as of {formatRelative(spend.asOf)}</span>
      ) : null}
    </p>
  );
}
