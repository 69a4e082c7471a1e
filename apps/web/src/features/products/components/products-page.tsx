/** The product catalogue (system administrators): limits, edit, activate / deactivate. */
import { trpc } from "@/lib/trpc.ts";
import { useQuery, useMutation } from "@tanstack/react-query";
import { toast } from "sonner";
import { ActiveBadge } from "@/components/cells.tsx";
import { column, dateColumn, nameColumn } from "@/components/columns.tsx";
import type { DataTableColumn } from "@/components/data-table.tsx";
import { ListPage } from "@/components/list-page.tsx";
import { actionsColumn } from "@/components/query-table.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { withAccess } from "@/components/require-access.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { can } from "@/lib/access.ts";
import { toastError } from "@/lib/errors.ts";
import { limitBadges } from "@/lib/limits.ts";
import { productsQueryOptions, type Product } from "../api/products-queries.ts";
import { ProductFormDialog } from "./product-form-dialog.tsx";

function LimitsCell({ product }: { product: Product }) {
  const badges = limitBadges(product.limits);
  if (badges.length === 0) return <span className="text-muted-foreground">Unlimited</span>;
  return (
    <div className="flex flex-wrap gap-1">
      {badges.map((b) => (
        <Badge key={b} variant="outline">
          {b}
        </Badge>
      ))}
    </div>
  );
}

function ProductActions({ product }: { product: Product }) {
  const update = useMutation(trpc.products.update.mutationOptions());
  const next = !product.isActive;
  return (
    <div className="flex justify-end gap-1">
      <ProductFormDialog
        product={product}
        trigger={
          <Button variant="ghost" size="sm" aria-label={`Edit ${product.name}`}>
            Edit
          </Button>
        }
      />
      <Button
        variant="ghost"
        size="sm"
        className={next ? undefined : "text-destructive"}
        disabled={update.isPending}
        aria-label={`${next ? "Activate" : "Deactivate"} ${product.name}`}
        onClick={() =>
          update.mutate(
            { productId: product.id, isActive: next },
            {
              onSuccess: () =>
                toast.success(`${product.name} ${next ? "activated" : "deactivated"}`),
              onError: toastError,
            },
          )
        }
      >
        {next ? "Activate" : "Deactivate"}
      </Button>
    </div>
  );
}

const columns: Array<DataTableColumn<Product>> = [
  nameColumn("Product"),
  column("status", "Status", (product) => (
    <ActiveBadge active={product.isActive} inactive="Inactive" inactiveVariant="secondary" />
  )),
  column("renewal", "Renewal", (product) => `${product.renewalPeriodDays} days`),
  column("limits", "Limits", (product) => <LimitsCell product={product} />),
  dateColumn(),
  actionsColumn((product) => <ProductActions product={product} />),
];

export const ProductsPage = withAccess(can.manageProducts, "products", ProductsScreen);

function ProductsScreen() {
  const products = useQuery(productsQueryOptions());
  return (
    <ListPage
      title="Products"
      description="Plans attached to teams: their limits are enforced on every region's LiteLLM team, and a team with an active product never expires. An inactive product cannot be attached to teams."
      actions={<ProductFormDialog trigger={<Button>New product</Button>} />}
      columns={columns}
      query={products}
      columnClassNames={{ created: "hidden md:table-cell", renewal: "hidden sm:table-cell" }}
      empty={
        <EmptyState
          title="No products yet"
          description="Create a product, then attach it to teams from their pages."
        />
      }
    />
  );
}
