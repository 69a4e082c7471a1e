/** Service tokens for internal callers (system administrators): list, create, revoke. */
import { trpc } from "@/lib/trpc.ts";
import { useQuery, useMutation } from "@tanstack/react-query";
import { RowButton } from "@/components/cells.tsx";
import { ConfirmAction, useConfirmTarget } from "@/components/confirm-action.tsx";
import { column, dateColumn, dateTimeColumn, nameColumn } from "@/components/columns.tsx";
import type { DataTableColumn } from "@/components/data-table.tsx";
import { ListPage } from "@/components/list-page.tsx";
import { actionsColumn } from "@/components/query-table.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { withAccess } from "@/components/require-access.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { can } from "@/lib/access.ts";
import { formatDate } from "@/lib/format.ts";
import { serviceTokensQueryOptions, type ServiceToken } from "../api/service-tokens-queries.ts";
import { CreateServiceTokenDialog } from "./create-service-token-dialog.tsx";

export const ServiceTokensPage = withAccess(
  can.manageServiceTokens,
  "service tokens",
  ServiceTokensScreen,
);

function ServiceTokensScreen() {
  const tokens = useQuery(serviceTokensQueryOptions());
  const revoke = useMutation(trpc.serviceTokens.revoke.mutationOptions());
  const revoking = useConfirmTarget<ServiceToken>();

  const columns: Array<DataTableColumn<ServiceToken>> = [
    nameColumn("Name"),
    column("scope", "Scope", (token) =>
      token.scope === "admin" ? (
        <Badge variant="warning">Admin</Badge>
      ) : (
        <span className="inline-flex items-center gap-1">
          <Badge variant="secondary">Organization</Badge>
          <code className="hidden font-mono text-xs text-muted-foreground md:inline">
            {token.organizationId?.slice(0, 8)}
          </code>
        </span>
      ),
    ),
    column("status", "Status", (token) =>
      token.revokedAt ? (
        <Badge variant="destructive">Revoked {formatDate(token.revokedAt)}</Badge>
      ) : (
        <Badge variant="success">Active</Badge>
      ),
    ),
    // A token acts with at most its creator's current rights: whose token it is matters.
    column("createdBy", "Created by", (token) =>
      token.createdBy ? (
        <span title={token.createdBy.email}>{token.createdBy.name}</span>
      ) : (
        <span className="text-muted-foreground">unknown (inactive)</span>
      ),
    ),
    dateTimeColumn("lastUsed", "Last used", (token) => token.lastUsedAt),
    dateColumn(),
    actionsColumn((token) =>
      token.revokedAt ? null : (
        <RowButton
          label="Revoke"
          name={token.name}
          className="text-destructive"
          aria-haspopup="dialog"
          onClick={() => revoking.ask(token)}
        />
      ),
    ),
  ];

  return (
    <>
      <ListPage
        title="Service tokens"
        description="Bearer tokens for internal services. The secret is shown once, at creation."
        actions={<CreateServiceTokenDialog />}
        columns={columns}
        query={tokens}
        columnClassNames={{ lastUsed: "hidden md:table-cell", created: "hidden lg:table-cell" }}
        empty={<EmptyState title="No service tokens" />}
      />
      <ConfirmAction
        state={revoking}
        title="Revoke service token"
        description={(token) => (
          <p>
            Services using <strong>{token.name}</strong> are refused from now on.
          </p>
        )}
        confirmLabel="Revoke"
        run={(token) => revoke.mutateAsync({ serviceTokenId: token.id })}
        done={(token) => `${token.name} revoked`}
      />
    </>
  );
}
