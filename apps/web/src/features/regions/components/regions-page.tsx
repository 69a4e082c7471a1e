/** LiteLLM regions (system administrators). */
import { useQuery } from "@tanstack/react-query";
import { DataTable, type DataTableColumn } from "@/components/data-table.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { RequireAccess } from "@/components/require-access.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";
import { can } from "@/lib/access.ts";
import { formatDate } from "@/lib/format.ts";
import { regionsQueryOptions, type Region } from "../api/regions-queries.ts";
import { ReconcileDialog } from "./reconcile-dialog.tsx";
import { RegionFormDialog } from "./region-form-dialog.tsx";

const columns: Array<DataTableColumn<Region>> = [
  { id: "name", header: "Region", cell: ({ row }) => <span className="font-medium">{row.original.name}</span> },
  {
    id: "url",
    header: "LiteLLM URL",
    cell: ({ row }) => <code className="font-mono text-xs break-all">{row.original.litellmBaseUrl ?? "—"}</code>,
  },
  {
    id: "status",
    header: "Status",
    cell: ({ row }) => (row.original.isActive ? <Badge variant="success">Active</Badge> : <Badge variant="warning">Inactive</Badge>),
  },
  { id: "sync", header: "In step?", cell: ({ row }) => <ReconcileDialog region={row.original} /> },
  { id: "created", header: "Created", cell: ({ row }) => formatDate(row.original.createdAt) },
  {
    id: "actions",
    header: () => <span className="sr-only">Actions</span>,
    cell: ({ row }) => (
      <RegionFormDialog
        region={row.original}
        trigger={
          <Button variant="ghost" size="sm">
            Edit<span className="sr-only"> {row.original.name}</span>
          </Button>
        }
      />
    ),
  },
];

export function RegionsPage(): React.JSX.Element {
  return (
    <RequireAccess allow={can.manageRegions} what="regions">
      <RegionsScreen />
    </RequireAccess>
  );
}

function RegionsScreen() {
  const regions = useQuery(regionsQueryOptions());
  return (
    <>
      <PageHeader
        title="Regions"
        description="LiteLLM proxies that Gatehouse keeps in step."
        actions={<RegionFormDialog trigger={<Button>New region</Button>} />}
      />
      <Card>
        <DataTable
          caption="Regions"
          columns={columns}
          data={regions.data}
          getRowId={(r) => r.id}
          isLoading={regions.isPending}
          error={regions.error}
          onRetry={() => void regions.refetch()}
          columnClassNames={{ url: "hidden md:table-cell", created: "hidden lg:table-cell" }}
          empty={<EmptyState title="No regions yet" description="Add the LiteLLM proxy of each region." />}
        />
      </Card>
    </>
  );
}
