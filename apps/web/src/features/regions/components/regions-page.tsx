/** LiteLLM regions (system administrators). */
import { useQuery } from "@tanstack/react-query";
import { ActiveBadge, RowButton } from "@/components/cells.tsx";
import { column, dateColumn, nameColumn } from "@/components/columns.tsx";
import type { DataTableColumn } from "@/components/data-table.tsx";
import { ListPage } from "@/components/list-page.tsx";
import { actionsColumn } from "@/components/query-table.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { withAccess } from "@/components/require-access.tsx";
import { Button } from "@/components/ui/button.tsx";
import { can } from "@/lib/access.ts";
import { regionsQueryOptions, type Region } from "../api/regions-queries.ts";
import { ReconcileDialog } from "./reconcile-dialog.tsx";
import { RegionFormDialog } from "./region-form-dialog.tsx";

const columns: Array<DataTableColumn<Region>> = [
  nameColumn("Region"),
  column("url", "LiteLLM URL", (region) => (
    <code className="font-mono text-xs break-all">{region.litellmBaseUrl ?? "—"}</code>
  )),
  column("status", "Status", (region) => (
    <ActiveBadge active={region.isActive} inactive="Inactive" inactiveVariant="warning" />
  )),
  column("sync", "In step?", (region) => <ReconcileDialog region={region} />),
  dateColumn(),
  actionsColumn((region) => (
    <RegionFormDialog region={region} trigger={<RowButton label="Edit" name={region.name} />} />
  )),
];

export const RegionsPage = withAccess(can.manageRegions, "regions", RegionsScreen);

function RegionsScreen() {
  const regions = useQuery(regionsQueryOptions());
  return (
    <ListPage
      title="Regions"
      description="LiteLLM proxies that Gatehouse keeps in step."
      actions={<RegionFormDialog trigger={<Button>New region</Button>} />}
      columns={columns}
      query={regions}
      columnClassNames={{ url: "hidden md:table-cell", created: "hidden lg:table-cell" }}
      empty={
        <EmptyState title="No regions yet" description="Add the LiteLLM proxy of each region." />
      }
    />
  );
}
