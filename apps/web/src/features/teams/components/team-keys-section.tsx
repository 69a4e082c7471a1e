/**
 * A team's API keys: name, region, prefix, creator and, when a LiteLLM change is still
 * pending or failed, its sync state. Key admins create (secret shown once) and delete.
 */
import { useQuery } from "@tanstack/react-query";
import { Trash2Icon } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { ConfirmDialog } from "@/components/confirm-dialog.tsx";
import { DataTable, type DataTableColumn } from "@/components/data-table.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { ErrorState } from "@/components/error-state.tsx";
import { Pagination } from "@/components/pagination.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card.tsx";
import { Tooltip } from "@/components/ui/tooltip.tsx";
import { errorInfo, errorSummary } from "@/lib/errors.ts";
import { formatDate } from "@/lib/format.ts";
import { teamKeysQueryOptions, useDeleteKey, type ApiKey } from "../api/keys-queries.ts";
import type { TeamDetail } from "../api/teams-queries.ts";
import { CreateKeyDialog } from "./create-key-dialog.tsx";

function SyncBadge({ sync }: { sync: ApiKey["sync"] }) {
  if (!sync || sync.state === "done") return <Badge variant="success">In sync</Badge>;
  if (sync.state === "failed") {
    return (
      <Tooltip content={sync.lastError ?? "The last LiteLLM change failed"}>
        <button type="button" className="rounded-full">
          <Badge variant="destructive">Sync failed</Badge>
        </button>
      </Tooltip>
    );
  }
  return <Badge variant="warning">{sync.state === "running" ? "Syncing" : "Sync pending"}</Badge>;
}

export function TeamKeysSection({ team }: { team: TeamDetail }) {
  const [page, setPage] = useState(1);
  const keys = useQuery(teamKeysQueryOptions(team.id, page));
  const remove = useDeleteKey();
  const [deleting, setDeleting] = useState<ApiKey | null>(null);
  const manage = team.permissions.manageKeys;

  const columns: Array<DataTableColumn<ApiKey>> = [
    {
      id: "name",
      header: "Name",
      cell: ({ row }) => (
        <div className="flex flex-col">
          <span className="font-mono text-xs font-medium">{row.original.name}</span>
          <span className="font-mono text-xs text-muted-foreground">{row.original.keyPrefix}</span>
        </div>
      ),
    },
    { id: "region", header: "Region", cell: ({ row }) => row.original.regionName },
    { id: "creator", header: "Created by", cell: ({ row }) => row.original.creator?.email ?? <span className="text-muted-foreground">—</span> },
    { id: "created", header: "Created", cell: ({ row }) => formatDate(row.original.createdAt) },
    { id: "sync", header: "LiteLLM", cell: ({ row }) => <SyncBadge sync={row.original.sync} /> },
    ...(manage
      ? [
          {
            id: "actions",
            header: () => <span className="sr-only">Actions</span>,
            cell: ({ row }) => (
              <Button
                variant="ghost"
                size="sm"
                className="text-destructive"
                onClick={() => setDeleting(row.original)}
                aria-label={`Delete ${row.original.name}`}
              >
                <Trash2Icon className="sm:hidden" aria-hidden="true" />
                <span className="hidden sm:inline">Delete</span>
              </Button>
            ),
          } satisfies DataTableColumn<ApiKey>,
        ]
      : []),
  ];

  const data = keys.data;
  const totalPages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const forbidden = keys.error && errorInfo(keys.error).httpStatus === 403;

  return (
    <Card aria-labelledby="keys-heading">
      <CardHeader>
        <CardTitle id="keys-heading">
          API keys <span className="font-normal text-muted-foreground">({data?.total ?? team.keysCount})</span>
        </CardTitle>
        {manage ? <CreateKeyDialog teamId={team.id} /> : null}
      </CardHeader>
      {forbidden ? (
        <CardContent className="text-sm text-muted-foreground">Your role in this team does not include seeing its keys.</CardContent>
      ) : keys.error ? (
        <ErrorState error={keys.error} className="m-4" onRetry={() => void keys.refetch()} />
      ) : (
        <>
          <DataTable
            caption={`API keys of ${team.name}`}
            columns={columns}
            data={data?.items}
            getRowId={(k) => k.id}
            isLoading={keys.isPending}
            isRefetching={keys.isPlaceholderData}
            skeletonRows={3}
            columnClassNames={{ creator: "hidden md:table-cell", created: "hidden lg:table-cell", region: "hidden sm:table-cell" }}
            empty={<EmptyState title="No keys yet" description={manage ? "Create a key to call models through LiteLLM." : undefined} />}
          />
          {data && data.total > data.pageSize ? (
            <Pagination
              label="keys"
              page={data.page}
              totalPages={totalPages}
              total={data.total}
              pageSize={data.pageSize}
              hasNext={data.page < totalPages}
              onFirst={() => setPage(1)}
              onPrevious={data.page > 1 ? () => setPage(data.page - 1) : null}
              onNext={() => setPage(data.page + 1)}
            />
          ) : null}
        </>
      )}
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => !open && setDeleting(null)}
        title="Delete API key"
        description={
          deleting ? (
            <p>
              Delete <strong className="font-mono">{deleting.name}</strong>? Requests using it stop working; LiteLLM is updated in the
              background.
            </p>
          ) : null
        }
        confirmLabel="Delete key"
        busy={remove.isPending}
        onConfirm={() =>
          deleting &&
          remove.mutate(
            { keyId: deleting.id },
            {
              onSuccess: () => {
                toast.success(`Key ${deleting.name} deleted`);
                setDeleting(null);
              },
              onError: (error) => {
                const { title, description } = errorSummary(error);
                toast.error(title, description ? { description } : undefined);
              },
            },
          )
        }
      />
    </Card>
  );
}
