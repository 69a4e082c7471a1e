/** The teams table: columns only; data, sorting and paging come from the page (URL). */
import { NameLink } from "@/components/cells.tsx";
import type { SortingState } from "@tanstack/react-table";
import { OrgTeamsLink } from "@/components/org-teams-link.tsx";
import { column, countColumn } from "@/components/columns.tsx";
import { DataTable, type DataTableColumn } from "@/components/data-table.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { formatDate, formatUsd } from "@/lib/format.ts";
import type { TeamListItem } from "../api/teams-queries.ts";
import { RenewalNote } from "./product-renewal.tsx";
import { TeamStatusBadge } from "./team-status-badge.tsx";

/** Name, spend and creation are the columns the API sorts by (teams.list `sort`). */
const sortable = (accessorKey: "name" | "spendUsd" | "createdAt") => ({
  accessorKey,
  enableSorting: true,
});

const columns: Array<DataTableColumn<TeamListItem>> = [
  column(
    "name",
    "Team",
    (team) => (
      <NameLink to="/teams/$teamId" params={{ teamId: team.id }}>
        {team.name}
      </NameLink>
    ),
    sortable("name"),
  ),
  column("organization", "Organization", (team) =>
    team.organization ? (
      <OrgTeamsLink
        orgId={team.organization.id}
        className="rounded text-foreground hover:underline"
      >
        {team.organization.name}
      </OrgTeamsLink>
    ) : (
      <span className="text-muted-foreground">None</span>
    ),
  ),
  countColumn("members", "Members", (team) => team.membersCount),
  countColumn("keys", "Keys", (team) => team.keysCount),
  // The latest spend read on every region, summed; "—" while never read (not $0).
  column(
    "spend",
    "Spend",
    (team) => <span className="tabular-nums whitespace-nowrap">{formatUsd(team.spendUsd)}</span>,
    sortable("spendUsd"),
  ),
  // Active products with the day they renew, lapsed ones with the day they lapsed.
  column("products", "Products", (team) =>
    team.renewals.length === 0 ? (
      <span className="text-muted-foreground">—</span>
    ) : (
      <ul className="flex flex-col gap-1">
        {team.renewals.map((p) => (
          <li key={p.productId} className="flex flex-wrap items-center gap-1">
            <Badge variant={p.status === "ACTIVE" ? "outline" : "secondary"}>{p.name}</Badge>
            <RenewalNote renewsOn={p.renewsOn} lapsedOn={p.lapsedOn} />
          </li>
        ))}
      </ul>
    ),
  ),
  column("status", "Status", (team) => (
    <TeamStatusBadge expired={team.expired} alwaysFree={team.alwaysFree} blocked={team.blocked} />
  )),
  column(
    "createdAt",
    "Created",
    (team) => <span className="whitespace-nowrap">{formatDate(team.createdAt)}</span>,
    sortable("createdAt"),
  ),
];

const columnClassNames = {
  organization: "hidden md:table-cell",
  keys: "hidden sm:table-cell",
  spend: "hidden sm:table-cell",
  products: "hidden lg:table-cell",
  createdAt: "hidden md:table-cell",
};

export function TeamsTable(props: {
  data: TeamListItem[] | undefined;
  isLoading: boolean;
  isRefetching: boolean;
  error: unknown;
  onRetry: () => void;
  sorting: SortingState;
  onSortingChange: (sorting: SortingState) => void;
  empty: React.ReactNode;
}) {
  return (
    <DataTable caption="Teams" columns={columns} columnClassNames={columnClassNames} {...props} />
  );
}
