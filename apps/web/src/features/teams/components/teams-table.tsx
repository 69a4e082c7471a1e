/** The teams table: columns only; data, sorting and paging come from the page (URL). */
import { Link } from "@tanstack/react-router";
import type { SortingState } from "@tanstack/react-table";
import { DataTable, type DataTableColumn } from "@/components/data-table.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { formatDate, formatUsd } from "@/lib/format.ts";
import type { TeamListItem } from "../api/teams-queries.ts";
import { TeamStatusBadge } from "./team-status-badge.tsx";

const columns: Array<DataTableColumn<TeamListItem>> = [
  {
    id: "name",
    accessorKey: "name",
    header: "Team",
    enableSorting: true,
    cell: ({ row }) => (
      <Link
        to="/teams/$teamId"
        params={{ teamId: row.original.id }}
        className="rounded font-medium text-primary hover:underline"
      >
        {row.original.name}
      </Link>
    ),
  },
  {
    id: "organization",
    header: "Organization",
    enableSorting: false,
    cell: ({ row }) =>
      row.original.organization ? (
        <Link
          to="/teams"
          search={{ org: row.original.organization.id }}
          className="rounded text-foreground hover:underline"
        >
          {row.original.organization.name}
        </Link>
      ) : (
        <span className="text-muted-foreground">None</span>
      ),
  },
  {
    id: "members",
    header: "Members",
    enableSorting: false,
    cell: ({ row }) => <span className="tabular-nums">{row.original.membersCount}</span>,
  },
  {
    id: "keys",
    header: "Keys",
    enableSorting: false,
    cell: ({ row }) => <span className="tabular-nums">{row.original.keysCount}</span>,
  },
  {
    // The latest spend read on every region, summed; "—" while never read (not $0).
    id: "spend",
    accessorKey: "spendUsd",
    header: "Spend",
    enableSorting: true,
    cell: ({ row }) => <span className="tabular-nums whitespace-nowrap">{formatUsd(row.original.spendUsd)}</span>,
  },
  {
    id: "products",
    header: "Active products",
    enableSorting: false,
    cell: ({ row }) =>
      row.original.activeProducts.length === 0 ? (
        <span className="text-muted-foreground">—</span>
      ) : (
        <div className="flex flex-wrap gap-1">
          {row.original.activeProducts.map((p) => (
            <Badge key={p.id} variant="outline">
              {p.name}
            </Badge>
          ))}
        </div>
      ),
  },
  {
    id: "status",
    header: "Status",
    enableSorting: false,
    cell: ({ row }) => <TeamStatusBadge expired={row.original.expired} alwaysFree={row.original.alwaysFree} blocked={row.original.blocked} />,
  },
  {
    id: "createdAt",
    accessorKey: "createdAt",
    header: "Created",
    enableSorting: true,
    cell: ({ row }) => <span className="whitespace-nowrap">{formatDate(row.original.createdAt)}</span>,
  },
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
    <DataTable
      caption="Teams"
      columns={columns}
      getRowId={(team) => team.id}
      columnClassNames={columnClassNames}
      {...props}
    />
  );
}
