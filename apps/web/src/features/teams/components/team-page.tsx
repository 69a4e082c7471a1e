/**
 * One team: summary, block state, members, keys, entitlement, products, settings and its
 * audit trail. What is offered
 * follows teams.get's `permissions` and the caller's role; extra header actions (the
 * merge dialog) are composed in by the app layer.
 */
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { OrgTeamsLink } from "@/components/org-teams-link.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { ErrorState } from "@/components/error-state.tsx";
import { NotAllowed } from "@/components/not-allowed.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { buttonVariants } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";
import { Skeleton } from "@/components/ui/skeleton.tsx";
import { can, useAccess } from "@/lib/access.ts";
import { errorInfo } from "@/lib/errors.ts";
import { formatDate } from "@/lib/format.ts";
import { teamQueryOptions, type TeamDetail } from "../api/teams-queries.ts";
import { EntitlementPanel } from "./entitlement-panel.tsx";
import { TeamSpendPanel } from "./team-spend-panel.tsx";
import { TeamAuditSection } from "./team-audit-section.tsx";
import { TeamBlockActions, TeamBlockedBanner } from "./team-block.tsx";
import { TeamKeysSection } from "./team-keys-section.tsx";
import { TeamMembersSection } from "./team-members-section.tsx";
import { TeamProductsSection } from "./team-products-section.tsx";
import { TeamSettingsSection } from "./team-settings-section.tsx";
import { TeamStatusBadge } from "./team-status-badge.tsx";

export function TeamPage({
  teamId,
  renderActions,
}: {
  teamId: string;
  renderActions?: (team: TeamDetail) => ReactNode;
}): React.JSX.Element {
  const access = useAccess();
  const team = useQuery(teamQueryOptions(teamId));

  if (team.isPending) return <TeamPageSkeleton />;
  if (team.error) {
    const status = errorInfo(team.error).httpStatus;
    if (status === 403) return <NotAllowed what="this team" />;
    if (status === 404 || status === 400) {
      return (
        <EmptyState
          title="Team not found"
          description="It may have been deleted or merged into another team."
          action={
            <Link to="/teams" className={buttonVariants({ variant: "outline" })}>
              Back to teams
            </Link>
          }
        />
      );
    }
    return <ErrorState error={team.error} onRetry={() => void team.refetch()} />;
  }

  const t = team.data;
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-muted-foreground">
        <Link to="/teams" className="rounded hover:underline">
          Teams
        </Link>{" "}
        / <span aria-current="page">{t.name}</span>
      </nav>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-2">
            {t.name}{" "}
            <TeamStatusBadge expired={t.expired} alwaysFree={t.alwaysFree} blocked={t.blocked} />
          </span>
        }
        description={
          <dl className="flex flex-wrap gap-x-5 gap-y-1">
            <div className="flex gap-1">
              <dt>Organization:</dt>
              <dd className="text-foreground">
                {t.organization ? (
                  <OrgTeamsLink orgId={t.organization.id} className="rounded hover:underline">
                    {t.organization.name}
                  </OrgTeamsLink>
                ) : (
                  "none"
                )}
              </dd>
            </div>
            <div className="flex gap-1">
              <dt>Created:</dt>
              <dd className="text-foreground">{formatDate(t.createdAt)}</dd>
            </div>
            <div className="flex gap-1">
              <dt>Last payment:</dt>
              <dd className="text-foreground">
                {t.lastPaymentAt ? formatDate(t.lastPaymentAt) : "never"}
              </dd>
            </div>
            <div className="flex gap-1">
              <dt>ID:</dt>
              <dd>
                <code className="font-mono text-xs text-foreground select-all">{t.id}</code>
              </dd>
            </div>
          </dl>
        }
        actions={
          <>
            {renderActions?.(t)}
            {/* teams.block: system admins and the organization's admins, i.e. `manage`. */}
            {t.permissions.manage ? <TeamBlockActions team={t} /> : null}
          </>
        }
      />
      <TeamBlockedBanner blockReasons={t.blockReasons} />
      <div className="grid gap-5 lg:grid-cols-3">
        <div className="flex min-w-0 flex-col gap-5 lg:col-span-2">
          <TeamMembersSection team={t} />
          <TeamKeysSection team={t} />
        </div>
        <div className="flex min-w-0 flex-col gap-5">
          <TeamSpendPanel teamId={t.id} spend={t.spend} />
          <EntitlementPanel entitlement={t.entitlement} keysCount={t.keysCount} />
          <TeamProductsSection team={t} />
          {t.permissions.manage ? <TeamSettingsSection team={t} /> : null}
          {can.adminOrg(access, t.organization?.id ?? null) ? (
            <TeamAuditSection teamId={t.id} />
          ) : null}
        </div>
      </div>
    </>
  );
}

function TeamPageSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading team" className="flex flex-col gap-5">
      <Skeleton className="h-4 w-40" />
      <Skeleton className="h-8 w-72 max-w-full" />
      <Skeleton className="h-4 w-96 max-w-full" />
      <div className="grid gap-5 lg:grid-cols-3">
        <Card className="flex flex-col gap-3 p-4 lg:col-span-2">
          {Array.from({ length: 5 }, (_, i) => (
            <Skeleton key={i} className="h-8 w-full" />
          ))}
        </Card>
        <Card className="flex flex-col gap-3 p-4">
          <Skeleton className="h-8 w-full" />
          <Skeleton className="h-8 w-2/3" />
        </Card>
      </div>
    </div>
  );
}
