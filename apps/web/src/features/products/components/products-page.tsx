/** The product catalogue (system administrators). */
import { useQuery } from "@tanstack/react-query";
import { DataTable, type DataTableColumn } from "@/components/data-table.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { RequireAccess } from "@/components/require-access.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Card } from "@/components/ui/card.tsx";
import { can } from "@/lib/access.ts";
import { formatDate } from "@/lib/format.ts";
import { productsQueryOptions, type Product } from "../api/products-queries.ts";
import { CreateProductDialog } from "./create-product-dialog.tsx";

const limitLabels: Record<string, string> = {
  maxKeys: "keys",
  maxBudgetUsd: "USD",
  rpmLimit: "RPM",
  tpmLimit: "TPM",
};

const columns: Array<DataTableColumn<Product>> = [
  { id: "name", header: "Product", cell: ({ row }) => <span className="font-medium">{row.original.name}</span> },
  {
    id: "status",
    header: "Status",
    cell: ({ row }) => (row.original.isActive ? <Badge variant="success">Active</Badge> : <Badge variant="secondary">Inactive</Badge>),
  },
  { id: "renewal", header: "Renewal", cell: ({ row }) => `${row.original.renewalPeriodDays} days` },
  {
    id: "limits",
    header: "Limits",
    cell: ({ row }) => {
      // Typed limits (issue 12): unset (null) and "all models" ([]) are not shown.
      const entries = Object.entries(row.original.limits).flatMap(([key, value]) =>
        value === null || (Array.isArray(value) && value.length === 0) ? [] : [[key, value] as const],
      );
      return entries.length === 0 ? (
        <span className="text-muted-foreground">None</span>
      ) : (
        <div className="flex flex-wrap gap-1">
          {entries.map(([key, value]) => (
            <Badge key={key} variant="outline">
              {Array.isArray(value) ? value.join(", ") : value.toLocaleString()} {limitLabels[key] ?? key}
            </Badge>
          ))}
        </div>
      );
    },
  },
  { id: "created", header: "Created", cell: ({ row }) => formatDate(row.original.createdAt) },
];

export function ProductsPage(): React.JSX.Element {
  return (
    <RequireAccess allow={can.manageProducts} what="products">
      <ProductsScreen />
    </RequireAccess>
  );
}

function ProductsScreen() {
  const products = useQuery(productsQueryOptions());
  return (
    <>
      <PageHeader title="Products" description="Plans attached to teams; a team with an active product never expires." actions={<CreateProductDialog />} />
      <Card>
        <DataTable
          caption="Products"
          columns={columns}
          data={products.data}
          getRowId={(p) => p.id}
          isLoading={products.isPending}
          error={products.error}
          onRetry={() => void products.refetch()}
          columnClassNames={{ created: "hidden md:table-cell", renewal: "hidden sm:table-cell" }}
          empty={<EmptyState title="No products yet" description="Create a product, then attach it to teams from their pages." />}
        />
      </Card>
    </>
  );
}
