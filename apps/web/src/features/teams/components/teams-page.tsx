/**
 * The teams listing: server-side paging (page numbers, then the keyset
 * cursor past the counted range), search, organization, expiry and blocked filters, sorting. All
 * of it lives in the URL, so a view can be bookmarked and shared.
 */
import { useQuery } from "@tanstack/react-query";
import { useNavigate, useSearch } from "@tanstack/react-router";
import type { SortingState } from "@tanstack/react-table";
import type { ReactNode } from "react";
import { EmptyState } from "@/components/empty-state.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { Pagination } from "@/components/pagination.tsx";
import { SearchInput } from "@/components/search-input.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";
import { Label } from "@/components/ui/label.tsx";
import { OptionSelect } from "@/components/option-select.tsx";
import { useAccess } from "@/lib/access.ts";
import { teamsListQueryOptions } from "../api/teams-queries.ts";
import { teamsDefaults, type TeamsSearch } from "../search.ts";
import { CreateTeamDialog } from "./create-team-dialog.tsx";
import { OrgFilter } from "./org-filter.tsx";
import { TeamsTable } from "./teams-table.tsx";

const sortChoices = [
  { value: "createdAt:desc", label: "Newest first" },
  { value: "createdAt:asc", label: "Oldest first" },
  { value: "name:asc", label: "Name A–Z" },
  { value: "name:desc", label: "Name Z–A" },
  { value: "id:asc", label: "ID ascending" },
  { value: "id:desc", label: "ID descending" },
  { value: "spend:desc", label: "Highest spend" },
  { value: "spend:asc", label: "Lowest spend" },
] as const;

/** A yes / no / either filter: its control's id and label, and its choices' labels. */
interface BooleanFilterSpec {
  id: string;
  label: string;
  labels: { any: string; yes: string; no: string };
}

const blockedFilter: BooleanFilterSpec = {
  id: "blocked-filter",
  label: "Access",
  labels: { any: "Any access", yes: "Blocked", no: "Not blocked" },
};
const expiryFilter: BooleanFilterSpec = {
  id: "expiry-filter",
  label: "Status",
  labels: { any: "Any status", yes: "Expired", no: "Not expired" },
};

/** A filter's small label above its control. */
function FilterField({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <Label htmlFor={id} className="text-xs text-muted-foreground">
        {label}
      </Label>
      {children}
    </div>
  );
}

/** A filter that is either unset (undefined) or true/false, as the listing's inputs are. */
function BooleanFilter({
  filter: { id, label, labels },
  value,
  onChange,
}: {
  filter: BooleanFilterSpec;
  value: boolean | undefined;
  onChange: (value: boolean | undefined) => void;
}): React.JSX.Element {
  return (
    <FilterField id={id} label={label}>
      <OptionSelect
        id={id}
        value={value === undefined ? "any" : value ? "yes" : "no"}
        onValueChange={(choice) => onChange(choice === "any" ? undefined : choice === "yes")}
        options={(["any", "yes", "no"] as const).map((choice) => ({
          value: choice,
          label: labels[choice],
        }))}
      />
    </FilterField>
  );
}

export function TeamsPage({ headerActions }: { headerActions?: ReactNode }): React.JSX.Element {
  const search = useSearch({ from: "/_authed/teams" });
  const navigate = useNavigate({ from: "/teams" });
  const access = useAccess();
  const teams = useQuery(teamsListQueryOptions(search));

  /** Any filter or sort change starts again at page 1 (a cursor only fits its own sort). */
  const update = (patch: Partial<TeamsSearch>, resetPaging = true) =>
    void navigate({
      search: (prev) => ({
        ...prev,
        ...(resetPaging ? { page: undefined, cursor: undefined } : {}),
        ...patch,
      }),
    });

  const sortBy = search.sort ?? teamsDefaults.sort;
  const sortOrder = search.order ?? teamsDefaults.order;
  const sorting: SortingState = [{ id: sortBy, desc: sortOrder === "desc" }];
  const data = teams.data;
  const page = data?.page ?? null;
  const usingCursor = Boolean(search.cursor);
  const filtered = Boolean(
    search.q || search.org || search.expired !== undefined || search.blocked !== undefined,
  );
  const canOrgFilter = access.isAdmin || access.adminOrgIds.length > 0;

  const goNext = () => {
    if (!data) return;
    const followCursor =
      usingCursor || ((data.totalCapped || (page ?? 0) >= data.totalPages) && data.nextCursor);
    if (followCursor && data.nextCursor)
      update({ cursor: data.nextCursor, page: undefined }, false);
    else update({ page: (page ?? 1) + 1, cursor: undefined }, false);
  };

  return (
    <>
      <PageHeader
        title="Teams"
        description={
          access.isAdmin
            ? "Every team on the platform."
            : access.adminOrgIds.length > 0
              ? "Teams of the organizations you administer and the teams you belong to."
              : "The teams you belong to."
        }
        actions={
          <>
            {headerActions}
            <CreateTeamDialog />
          </>
        }
      />
      <Card>
        <div className="grid gap-3 border-b p-3 sm:grid-cols-2 lg:grid-cols-[minmax(0,2fr)_minmax(0,1.3fr)_minmax(0,1fr)_minmax(0,1fr)_minmax(0,1fr)]">
          <SearchInput
            id="team-search"
            label="Search"
            placeholder="Team name or id"
            value={search.q}
            onChange={(q) => update({ q })}
          />
          {canOrgFilter ? (
            <FilterField id="org-filter" label="Organization">
              <OrgFilter value={search.org} onChange={(org) => update({ org })} />
            </FilterField>
          ) : null}
          <BooleanFilter
            filter={expiryFilter}
            value={search.expired}
            onChange={(expired) => update({ expired })}
          />
          <BooleanFilter
            filter={blockedFilter}
            value={search.blocked}
            onChange={(blocked) => update({ blocked })}
          />
          <FilterField id="sort-select" label="Sort">
            <OptionSelect
              id="sort-select"
              value={`${sortBy}:${sortOrder}`}
              onValueChange={(value) => {
                const [sort, order] = value.split(":") as [
                  TeamsSearch["sort"],
                  TeamsSearch["order"],
                ];
                update({ sort, order });
              }}
              options={sortChoices}
            />
          </FilterField>
        </div>
        <TeamsTable
          data={data?.items}
          isLoading={teams.isPending}
          isRefetching={teams.isPlaceholderData}
          error={teams.error}
          onRetry={() => void teams.refetch()}
          sorting={sorting}
          onSortingChange={(next) => {
            const first = next[0];
            if (first)
              update({ sort: first.id as TeamsSearch["sort"], order: first.desc ? "desc" : "asc" });
          }}
          empty={
            filtered ? (
              <EmptyState
                title="No team matches these filters"
                action={
                  <Button
                    variant="outline"
                    size="sm"
                    onClick={() =>
                      update({
                        q: undefined,
                        org: undefined,
                        expired: undefined,
                        blocked: undefined,
                      })
                    }
                  >
                    Clear filters
                  </Button>
                }
              />
            ) : (
              <EmptyState
                title="No teams yet"
                description={
                  access.isAdmin
                    ? "Create the first team to get started."
                    : "You are not a member of any team yet."
                }
              />
            )
          }
        />
        {data && data.items.length > 0 ? (
          <Pagination
            label="teams"
            page={page}
            totalPages={data.totalPages}
            total={data.total}
            totalCapped={data.totalCapped}
            pageSize={data.pageSize}
            hasNext={
              usingCursor
                ? data.nextCursor !== null
                : (page ?? 1) < data.totalPages || data.nextCursor !== null
            }
            onFirst={() => update({ page: undefined, cursor: undefined }, false)}
            onPrevious={
              !usingCursor && page !== null && page > 1
                ? () => update({ page: page - 1 }, false)
                : null
            }
            onNext={goNext}
            onPageSizeChange={(size) =>
              update({ pageSize: size === teamsDefaults.pageSize ? undefined : size })
            }
          />
        ) : null}
      </Card>
    </>
  );
}
