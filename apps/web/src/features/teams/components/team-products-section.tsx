/**
 * Products on a team (active, lapsed and cancelled) with the day each renews or lapsed;
 * admins attach and detach them.
 */
import { useQuery, useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { ConfirmAction, useConfirmTarget } from "@/components/confirm-action.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card, CardHeader, CardTitle } from "@/components/ui/card.tsx";
import { OptionSelect } from "@/components/option-select.tsx";
import { useAccess } from "@/lib/access.ts";
import { toastError } from "@/lib/errors.ts";
import { formatDate } from "@/lib/format.ts";
import { trpc } from "@/lib/trpc.ts";
import { type TeamDetail } from "../api/teams-queries.ts";
import { RenewalNote } from "./product-renewal.tsx";

const STATUS_LABEL = { ACTIVE: "Active", LAPSED: "Lapsed", CANCELLED: "Cancelled" } as const;
const STATUS_VARIANT = { ACTIVE: "success", LAPSED: "warning", CANCELLED: "secondary" } as const;

export function TeamProductsSection({ team }: { team: TeamDetail }) {
  const access = useAccess();
  const manage = access.isAdmin;
  const catalogue = useQuery({ ...trpc.products.list.queryOptions(), enabled: manage });
  const attach = useMutation(trpc.products.attach.mutationOptions());
  const detach = useMutation(trpc.products.detach.mutationOptions());
  const [choice, setChoice] = useState<string>("");
  const detaching = useConfirmTarget<{ productId: string; name: string }>();
  const activeIds = new Set(
    team.products.filter((p) => p.status === "ACTIVE").map((p) => p.productId),
  );
  const attachable = (catalogue.data ?? []).filter((p) => p.isActive && !activeIds.has(p.id));

  return (
    <Card aria-labelledby="products-heading">
      <CardHeader>
        <CardTitle id="products-heading">Products</CardTitle>
        {manage ? (
          <form
            className="flex w-full flex-wrap items-center gap-2 sm:w-auto"
            onSubmit={(e) => {
              e.preventDefault();
              if (!choice) return;
              attach.mutate(
                { teamId: team.id, productId: choice },
                {
                  onSuccess: () => {
                    toast.success("Product attached");
                    setChoice("");
                  },
                  onError: toastError,
                },
              );
            }}
          >
            <OptionSelect
              value={choice}
              onValueChange={setChoice}
              disabled={attachable.length === 0}
              options={attachable.map((p) => ({ value: p.id, label: p.name }))}
              placeholder={
                catalogue.isLoading
                  ? "Loading products…"
                  : attachable.length
                    ? "Choose a product"
                    : "No product to attach"
              }
              className="h-8 min-w-44 flex-1 sm:w-48"
              aria-label="Product to attach"
            />
            <Button type="submit" size="sm" disabled={!choice || attach.isPending}>
              {attach.isPending ? "Attaching…" : "Attach"}
            </Button>
          </form>
        ) : null}
      </CardHeader>
      {team.products.length === 0 ? (
        <EmptyState
          title="No products"
          description="Teams without an active product expire 30 days after their last payment."
        />
      ) : (
        <ul className="divide-y">
          {team.products.map((p) => (
            <li key={p.id} className="flex flex-wrap items-center gap-2 px-4 py-3 text-sm">
              <span className="font-medium">{p.name}</span>
              <Badge variant={STATUS_VARIANT[p.status]}>{STATUS_LABEL[p.status]}</Badge>
              <span className="text-xs text-muted-foreground">since {formatDate(p.createdAt)}</span>
              <RenewalNote renewsOn={p.renewsOn} lapsedOn={p.lapsedOn} lapsedHint />
              {manage && p.status !== "CANCELLED" ? (
                <Button
                  variant="ghost"
                  size="sm"
                  className="ml-auto text-destructive"
                  aria-haspopup="dialog"
                  onClick={() => detaching.ask({ productId: p.productId, name: p.name })}
                >
                  Detach<span className="sr-only"> {p.name}</span>
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <ConfirmAction
        state={detaching}
        title="Detach product"
        description={(product) => (
          <p>
            Cancel <strong>{product.name}</strong> on {team.name}?
          </p>
        )}
        confirmLabel="Detach"
        run={(product) => detach.mutateAsync({ teamId: team.id, productId: product.productId })}
        done={(product) => `${product.name} detached`}
      />
    </Card>
  );
}
