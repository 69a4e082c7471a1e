/**
 * A team's API keys: name, region, prefix, creator, blocked state and, when a LiteLLM
 * change is still pending or failed, its sync state. Key admins create (secret shown once)
 * and delete; system admins, org admins and team admins block and unblock (keys.block), and
 * hand a key whose creator left the team ("Owner left") to a current member (keys.transfer).
 */
import { blockLevelLabel } from "@gatehouse/core";
import { trpc } from "@/lib/trpc.ts";
import { useQuery, useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { RemoveButton } from "@/components/cells.tsx";
import { ConfirmAction, useConfirmTarget } from "@/components/confirm-action.tsx";
import { column, dateColumn } from "@/components/columns.tsx";
import type { DataTableColumn } from "@/components/data-table.tsx";
import { actionsColumn, PagedQueryTable } from "@/components/query-table.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { ErrorState } from "@/components/error-state.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { SectionCard } from "@/components/section-card.tsx";
import { CardContent } from "@/components/ui/card.tsx";
import { Tooltip } from "@/components/ui/tooltip.tsx";
import { useAccess } from "@/lib/access.ts";
import { errorInfo, toastError } from "@/lib/errors.ts";
import { formatDateTime } from "@/lib/format.ts";
import { teamKeysQueryOptions, type ApiKey } from "../api/keys-queries.ts";
import type { TeamDetail } from "../api/teams-queries.ts";
import { BlockKeyDialog } from "./block-key-dialog.tsx";
import { CreateKeyDialog } from "./create-key-dialog.tsx";
import { RotateKeyDialog } from "./rotate-key-dialog.tsx";
import { KeyDetailDialog } from "./key-detail-dialog.tsx";
import { TransferKeyDialog } from "./transfer-key-dialog.tsx";

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

const keyBlockLabels: Record<ApiKey["blockReasons"][number], string> = {
  manual: "Blocked by hand",
  owner_disabled: "Creator disabled",
  owner_left: "Owner left",
  key_expired: "Expired",
};

/** Who placed a key's manual block and why ("Blocked by Ana (organization admin): leaked"). */
function manualBlockText(block: NonNullable<ApiKey["manualBlock"]>): string {
  const who = block.placedBy
    ? `Blocked by ${block.placedBy}${block.level ? ` (${blockLevelLabel(block.level)})` : ""}`
    : keyBlockLabels.manual;
  return block.note ? `${who}: “${block.note}”` : who;
}

/** The key's own block reasons; a blocked team blocks all its keys (shown on the team). */
export function KeyAccessBadge({
  apiKey,
  teamBlocked,
}: {
  apiKey: Pick<ApiKey, "blocked" | "blockReasons" | "manualBlock">;
  teamBlocked: boolean;
}) {
  if (apiKey.blocked || apiKey.blockReasons.length > 0) {
    return (
      <div className="flex flex-wrap gap-1">
        <Badge variant="destructive">Blocked</Badge>
        {apiKey.blockReasons.map((r) => (
          <span key={r} className="text-xs text-muted-foreground">
            {r === "manual" && apiKey.manualBlock
              ? manualBlockText(apiKey.manualBlock)
              : keyBlockLabels[r]}
          </span>
        ))}
      </div>
    );
  }
  if (teamBlocked) return <Badge variant="warning">Team blocked</Badge>;
  return <Badge variant="success">Allowed</Badge>;
}

export function TeamKeysSection({ team }: { team: TeamDetail }) {
  const [page, setPage] = useState(1);
  const keys = useQuery(teamKeysQueryOptions(team.id, page));
  const remove = useMutation(trpc.keys.delete.mutationOptions());
  const deleting = useConfirmTarget<ApiKey>();
  const manage = team.permissions.manageKeys;
  const access = useAccess();
  // keys.block: system admins and org admins (`manage`), and the team's admins.
  const canBlock =
    team.permissions.manage ||
    team.members.some((m) => m.userId === access.userId && m.role === "ADMIN");
  const unblock = useMutation(trpc.keys.unblock.mutationOptions());
  const blocking = useConfirmTarget<ApiKey>();
  const toggleBusy = unblock.isPending;
  // keys.transfer: whoever may block the key.
  const [transferring, setTransferring] = useState<ApiKey | null>(null);
  // keys.rotate: whoever may delete the key.
  const [rotating, setRotating] = useState<ApiKey | null>(null);
  const [detail, setDetail] = useState<ApiKey | null>(null);

  const columns: Array<DataTableColumn<ApiKey>> = [
    column("name", "Name", (key) => (
      <div className="flex flex-col">
        <span className="font-mono text-xs font-medium">{key.name}</span>
        <span className="font-mono text-xs text-muted-foreground">{key.keyPrefix}</span>
        {/* A rotation's previous secret, still working until its overlap ends. */}
        {key.secrets
          .filter((s) => s.state === "retiring")
          .map((s) => (
            <span
              key={s.keyPrefix}
              className="font-mono text-xs text-muted-foreground"
              data-testid="retiring-secret"
            >
              {s.keyPrefix} retiring until {formatDateTime(s.retireAt)}
            </span>
          ))}
      </div>
    )),
    column("region", "Region", (key) => key.regionName),
    column(
      "creator",
      "Created by",
      (key) => key.creator?.email ?? <span className="text-muted-foreground">—</span>,
    ),
    dateColumn(),
    column("expires", "Expires", (key) =>
      key.expiresAt ? (
        new Date(key.expiresAt).toLocaleDateString()
      ) : (
        <span className="text-muted-foreground">Never</span>
      ),
    ),
    column("access", "Access", (key) => <KeyAccessBadge apiKey={key} teamBlocked={team.blocked} />),
    column("sync", "LiteLLM", (key) => <SyncBadge sync={key.sync} />),
    actionsColumn<ApiKey>((key) => (
      <div className="flex justify-end gap-1">
        <Button
          variant="ghost"
          size="sm"
          aria-label={`Details of ${key.name}`}
          aria-haspopup="dialog"
          onClick={() => setDetail(key)}
        >
          Details
        </Button>
        {canBlock &&
        key.blockReasons.includes("owner_left") &&
        // A disabled owner's key is a system admin's to hand over (keys.transfer).
        (access.isAdmin || !key.blockReasons.includes("owner_disabled")) ? (
          <Button
            variant="ghost"
            size="sm"
            aria-label={`Transfer ${key.name}`}
            aria-haspopup="dialog"
            onClick={() => setTransferring(key)}
          >
            Transfer
          </Button>
        ) : null}
        {/* Unblock only where the API says this caller may lift the block: one
                  placed at a higher level (an org admin's, for a team admin) is theirs. */}
        {canBlock ? (
          key.blockReasons.includes("manual") ? (
            key.canUnblock ? (
              <Button
                variant="ghost"
                size="sm"
                disabled={toggleBusy}
                aria-label={`Unblock ${key.name}`}
                onClick={() =>
                  unblock.mutate(
                    { keyId: key.id },
                    {
                      onSuccess: (r) =>
                        toast.success(
                          r.blocked
                            ? `${key.name}: manual block lifted (creator still disabled)`
                            : `Key ${key.name} unblocked`,
                        ),
                      onError: toastError,
                    },
                  )
                }
              >
                Unblock
              </Button>
            ) : null
          ) : (
            <Button
              variant="ghost"
              size="sm"
              disabled={toggleBusy}
              aria-label={`Block ${key.name}`}
              aria-haspopup="dialog"
              onClick={() => blocking.ask(key)}
            >
              Block
            </Button>
          )
        ) : null}
        {manage ? (
          <Button
            variant="ghost"
            size="sm"
            aria-label={`Rotate ${key.name}`}
            aria-haspopup="dialog"
            onClick={() => setRotating(key)}
          >
            Rotate
          </Button>
        ) : null}
        {manage ? (
          <RemoveButton label="Delete" name={key.name} onClick={() => deleting.ask(key)} />
        ) : null}
      </div>
    )),
  ];

  const data = keys.data;
  const forbidden = keys.error && errorInfo(keys.error).httpStatus === 403;

  return (
    <SectionCard
      id="keys"
      title={
        <>
          API keys{" "}
          <span className="font-normal text-muted-foreground">
            ({data?.total ?? team.keysCount})
          </span>
        </>
      }
      actions={
        manage ? <CreateKeyDialog teamId={team.id} teamModels={team.entitlement.models} /> : null
      }
    >
      {forbidden ? (
        <CardContent className="text-sm text-muted-foreground">
          Your role in this team does not include seeing its keys.
        </CardContent>
      ) : keys.error ? (
        <ErrorState error={keys.error} className="m-4" onRetry={() => void keys.refetch()} />
      ) : (
        <PagedQueryTable
          caption={`API keys of ${team.name}`}
          columns={columns}
          query={keys}
          pageLabel="keys"
          onPage={setPage}
          compact
          skeletonRows={3}
          columnClassNames={{
            creator: "hidden md:table-cell",
            created: "hidden lg:table-cell",
            region: "hidden sm:table-cell",
            sync: "hidden sm:table-cell",
            expires: "hidden md:table-cell",
          }}
          empty={
            <EmptyState
              title="No keys yet"
              description={manage ? "Create a key to call models through LiteLLM." : undefined}
            />
          }
        />
      )}
      <BlockKeyDialog apiKey={blocking.target} onClose={blocking.close} />
      <RotateKeyDialog apiKey={rotating} onClose={() => setRotating(null)} />
      <KeyDetailDialog apiKey={detail} canManage={manage} onClose={() => setDetail(null)} />
      <TransferKeyDialog
        apiKey={transferring}
        members={team.members}
        onClose={() => setTransferring(null)}
      />
      <ConfirmAction
        state={deleting}
        title="Delete API key"
        description={(key) => (
          <p>
            Delete <strong className="font-mono">{key.name}</strong>? Requests using it stop
            working; LiteLLM is updated in the background.
          </p>
        )}
        confirmLabel="Delete key"
        run={(key) => remove.mutateAsync({ keyId: key.id })}
        done={(key) => `Key ${key.name} deleted`}
      />
    </SectionCard>
  );
}
