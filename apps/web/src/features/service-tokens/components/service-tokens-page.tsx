/** Service tokens for internal callers (system administrators): list, create, revoke. */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { ConfirmDialog } from "@/components/confirm-dialog.tsx";
import { DataTable, type DataTableColumn } from "@/components/data-table.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { RequireAccess } from "@/components/require-access.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";
import { can } from "@/lib/access.ts";
import { toastError } from "@/lib/errors.ts";
import { formatDate, formatDateTime } from "@/lib/format.ts";
import {
  serviceTokensQueryOptions,
  useRevokeServiceToken,
  type ServiceToken,
} from "../api/service-tokens-queries.ts";
import { CreateServiceTokenDialog } from "./create-service-token-dialog.tsx";

export function ServiceTokensPage(): React.JSX.Element {
  return (
    <RequireAccess allow={can.manageServiceTokens} what="service tokens">
      <ServiceTokensScreen />
    </RequireAccess>
  );
}

function ServiceTokensScreen() {
  const tokens = useQuery(serviceTokensQueryOptions());
  const revoke = useRevokeServiceToken();
  const [revoking, setRevoking] = useState<ServiceToken | null>(null);

  const columns: Array<DataTableColumn<ServiceToken>> = [
    {
      id: "name",
      header: "Name",
      cell: ({ row }) => <span className="font-medium">{row.original.name}</span>,
    },
    {
      id: "scope",
      header: "Scope",
      cell: ({ row }) =>
        row.original.scope === "admin" ? (
          <Badge variant="warning">Admin</Badge>
        ) : (
          <span className="inline-flex items-center gap-1">
            <Badge variant="secondary">Organization</Badge>
            <code className="hidden font-mono text-xs text-muted-foreground md:inline">
              {row.original.organizationId?.slice(0, 8)}
            </code>
          </span>
        ),
    },
    {
      id: "status",
      header: "Status",
      cell: ({ row }) =>
        row.original.revokedAt ? (
          <Badge variant="destructive">Revoked {formatDate(row.original.revokedAt)}</Badge>
        ) : (
          <Badge variant="success">Active</Badge>
        ),
    },
    {
      id: "createdBy",
      header: "Created by",
      // A token acts with at most its creator's current rights: whose token it is matters.
      cell: ({ row }) =>
        row.original.createdBy ? (
          <span title={row.original.createdBy.email}>{row.original.createdBy.name}</span>
        ) : (
          <span className="text-muted-foreground">unknown (inactive)</span>
        ),
    },
    {
      id: "lastUsed",
      header: "Last used",
      cell: ({ row }) => formatDateTime(row.original.lastUsedAt),
    },
    { id: "created", header: "Created", cell: ({ row }) => formatDate(row.original.createdAt) },
    {
      id: "actions",
      header: () => <span className="sr-only">Actions</span>,
      cell: ({ row }) =>
        row.original.revokedAt ? null : (
          <Button
            variant="ghost"
            size="sm"
            className="text-destructive"
            onClick={() => setRevoking(row.original)}
          >
            Revoke<span className="sr-only"> {row.original.name}</span>
          </Button>
        ),
    },
  ];

  return (
    <>
      <PageHeader
        title="Service tokens"
        description="Bearer tokens for internal services. The secret is shown once, at creation."
        actions={<CreateServiceTokenDialog />}
      />
      <Card>
        <DataTable
          caption="Service tokens"
          columns={columns}
          data={tokens.data}
          getRowId={(t) => t.id}
          isLoading={tokens.isPending}
          error={tokens.error}
          onRetry={() => void tokens.refetch()}
          columnClassNames={{ lastUsed: "hidden md:table-cell", created: "hidden lg:table-cell" }}
          empty={<EmptyState title="No service tokens" />}
        />
      </Card>
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => !open && setRevoking(null)}
        title="Revoke service token"
        description={
          revoking ? (
            <p>
              Services using <strong>{revoking.name}</strong> are refused from now on.
            </p>
          ) : null
        }
        confirmLabel="Revoke"
        busy={revoke.isPending}
        onConfirm={() =>
          revoking &&
          revoke.mutate(
            { serviceTokenId: revoking.id },
            {
              onSuccess: () => {
                toast.success(`${revoking.name} revoked`);
                setRevoking(null);
              },
              onError: toastError,
            },
          )
        }
      />
    </>
  );
}
