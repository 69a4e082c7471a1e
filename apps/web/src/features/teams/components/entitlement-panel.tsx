/**
 * What a team may spend and use right now: core's effectiveEntitlement over its active
 * products (or the configured default), as teams.get returns it. Each limit names the
 * product it comes from. The worker pushes these to the team's LiteLLM team on every region.
 */
import { Badge } from "@/components/ui/badge.tsx";
import { SectionCard } from "@/components/section-card.tsx";
import { CardContent } from "@/components/ui/card.tsx";
import { formatLimit, limitLabels } from "@/lib/limits.ts";
import type { TeamEntitlement } from "../api/teams-queries.ts";

const shown = ["maxKeys", "maxBudgetUsd", "rpmLimit", "tpmLimit", "models"] as const;

function SourceLabel({ source }: { source: TeamEntitlement["sources"][(typeof shown)[number]] }) {
  if (source === "default") return <span className="text-xs text-muted-foreground">default</span>;
  return (
    <Badge variant="outline" title="From this product">
      {source.productName}
    </Badge>
  );
}

export function EntitlementPanel({
  entitlement,
  keysCount,
}: {
  entitlement: TeamEntitlement;
  keysCount: number;
}) {
  const allDefault = shown.every((f) => entitlement.sources[f] === "default");
  return (
    <SectionCard id="entitlement" title="Entitlement">
      <CardContent className="flex flex-col gap-3 text-sm">
        <p className="text-muted-foreground">
          {allDefault
            ? "No active product: the default limits apply."
            : "The most generous limit of the team's active products applies; models are the union of theirs."}
        </p>
        <dl className="divide-y rounded-md border" data-testid="entitlement">
          {shown.map((field) => (
            <div key={field} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2">
              <dt className="min-w-36 text-muted-foreground">{limitLabels[field]}</dt>
              <dd className="flex min-w-0 flex-1 flex-wrap items-center justify-between gap-2">
                <span
                  className="font-medium break-words tabular-nums"
                  data-testid={`entitlement-${field}`}
                >
                  {formatLimit(field, entitlement)}
                  {field === "maxKeys" && entitlement.maxKeys !== null ? (
                    <span className="font-normal text-muted-foreground"> ({keysCount} in use)</span>
                  ) : null}
                </span>
                <SourceLabel source={entitlement.sources[field]} />
              </dd>
            </div>
          ))}
        </dl>
        {entitlement.maxBudgetUsd !== null && entitlement.budgetScope === "per_region" ? (
          <p className="text-xs text-muted-foreground">
            Each region&apos;s LiteLLM team gets the full budget: a team using several regions can
            spend it once per region.
          </p>
        ) : null}
      </CardContent>
    </SectionCard>
  );
}
