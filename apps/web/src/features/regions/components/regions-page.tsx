/** LiteLLM regions (system administrators). */
import { useQuery } from "@tanstack/react-query";
import { ActiveBadge, RowButton } from "@/components/cells.tsx";
import type { DataTableColumn } from "@/components/data-table.tsx";
import { actionsColumn, QueryTable } from "@/components/query-table.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { withAccess } from "@/components/require-access.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";
import { can } from "@/lib/access.ts";
import { formatDate } from "@/lib/format.ts";
import { regionsQueryOptions, type Region } from "../api/regions-queries.ts";
import { ReconcileDialog } from "./reconcile-dialog.tsx";
import { RegionFormDialog } from "./region-form-dialog.tsx";

const columns: Array<DataTableColumn<Region>> = [
  {
    id: "name",
    header: "Region",
    cell: ({ row }) => <span className="font-medium">{row.original.name}</span>,
  },
  {
    id: "url",
    header: "LiteLLM URL",
    cell: ({ row }) => (
      <code className="font-mono text-xs break-all">{row.original.litellmBaseUrl ?? "—"}</code>
    ),
  },
  {
    id: "status",
    header: "Status",
    cell: ({ row }) => (
      <ActiveBadge active={row.original.isActive} inactive="Inactive" inactiveVariant="warning" />
    ),
  },
  { id: "sync", header: "In step?", cell: ({ row }) => <ReconcileDialog region={row.original} /> },
  { id: "created", header: "Created", cell: ({ row }) => formatDate(row.original.createdAt) },
  actionsColumn((region) => (
    <RegionFormDialog region={region} trigger={<RowButton label="Edit" name={region.name} />} />
  )),
];

export const RegionsPage = withAccess(can.manageRegions, "regions", RegionsScreen);

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
        <QueryTable
          caption="Regions"
          columns={columns}
          query={regions}
          getRowId={(r) => r.id}
          columnClassNames={{ url: "hidden md:table-cell", created: "hidden lg:table-cell" }}
          empty={
            <EmptyState
              title="No regions yet"
              description="Add the LiteLLM proxy of each region."
            />
          }
        />
      </Card>
    </>
  );
}
