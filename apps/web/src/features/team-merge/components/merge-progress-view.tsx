/**
 * After the merge committed: the LiteLLM sync, per key (state, attempts, last error, next
 * attempt), from teams.mergeStatus. Presentational; the dialog polls and passes it in.
 */
import { CheckCircle2Icon, LoaderCircleIcon, XCircleIcon } from "lucide-react";
import { ErrorState } from "@/components/error-state.tsx";
import { Badge, type BadgeLook } from "@/components/ui/badge.tsx";
import { Skeleton } from "@/components/ui/skeleton.tsx";
import { SimpleTable } from "@/components/simple-table.tsx";
import { TableCell, TableHead, TableRow } from "@/components/ui/table.tsx";
import { formatDateTime, formatRelative } from "@/lib/format.ts";
import type { KeySyncState, MergeResult, MergeStatus } from "../api/merge-types.ts";

const stateLabel: Record<KeySyncState, BadgeLook> = {
  done: { label: "Synced", variant: "success" },
  pending: { label: "Pending", variant: "secondary" },
  running: { label: "Syncing", variant: "default" },
  failed: { label: "Failed", variant: "destructive" },
  waiting_region_inactive: { label: "Waiting: region inactive", variant: "warning" },
};

export function MergeProgressView({
  result,
  status,
  isLoading,
  error,
  now,
}: {
  result: MergeResult | undefined;
  status: MergeStatus | undefined;
  isLoading: boolean;
  error: unknown;
  /** For tests; defaults to the current time. */
  now?: number;
}) {
  const overall = status?.status ?? result?.status ?? "SYNCING";
  const jobs = status?.jobs;
  const percent =
    jobs && jobs.total > 0
      ? Math.round((jobs.done / jobs.total) * 100)
      : overall === "DONE"
        ? 100
        : 0;

  return (
    <div className="flex flex-col gap-4" data-testid="merge-progress">
      <div className="flex items-center gap-2" role="status" aria-live="polite">
        {overall === "DONE" ? (
          <CheckCircle2Icon className="size-5 text-success" aria-hidden="true" />
        ) : overall === "FAILED" ? (
          <XCircleIcon className="size-5 text-destructive" aria-hidden="true" />
        ) : (
          <LoaderCircleIcon className="size-5 animate-spin text-primary" aria-hidden="true" />
        )}
        <p className="font-medium">
          {overall === "DONE"
            ? "Merge complete: every LiteLLM proxy is in step."
            : overall === "FAILED"
              ? "The merge is committed, but the LiteLLM sync failed."
              : "Merged. Syncing LiteLLM…"}
        </p>
      </div>

      {result ? (
        <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm text-muted-foreground">
          <li>{result.movedMembers} members moved</li>
          <li>{result.movedKeys} keys moved</li>
          <li>{result.renamedKeys} renamed</li>
          <li>{result.deletedKeys} deleted</li>
        </ul>
      ) : null}

      <div className="flex flex-col gap-1">
        <div
          className="h-2 w-full overflow-hidden rounded-full bg-muted"
          role="progressbar"
          aria-label="LiteLLM sync progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
        >
          <div
            className={`h-full transition-all ${overall === "FAILED" ? "bg-destructive" : "bg-primary"}`}
            style={{ width: `${percent}%` }}
          />
        </div>
        {jobs ? (
          <p className="text-xs text-muted-foreground">
            {jobs.done} of {jobs.total} sync jobs done
            {jobs.running ? ` · ${jobs.running} running` : ""}
            {jobs.pending ? ` · ${jobs.pending} pending` : ""}
            {jobs.waiting ? ` · ${jobs.waiting} waiting for an inactive region` : ""}
            {jobs.failed ? ` · ${jobs.failed} failed` : ""}
          </p>
        ) : null}
      </div>

      {error ? (
        <ErrorState error={error} title="Could not read the sync status (retrying)" />
      ) : null}

      {isLoading && !status ? (
        <div className="flex flex-col gap-2" aria-busy="true">
          <Skeleton className="h-8 w-full" />
          <Skeleton className="h-8 w-full" />
        </div>
      ) : status && status.keys.length > 0 ? (
        <SimpleTable
          head={
            <>
              <TableHead>Key</TableHead>
              <TableHead className="hidden sm:table-cell">Region</TableHead>
              <TableHead>State</TableHead>
              <TableHead className="hidden md:table-cell">Attempts</TableHead>
              <TableHead>Details</TableHead>
            </>
          }
        >
          {status.keys.map((k) => {
            const s = stateLabel[k.state];
            return (
              <TableRow key={`${k.keyId}-${k.action}`}>
                <TableCell className="font-mono text-xs">
                  {k.name}
                  {k.action === "delete" ? (
                    <span className="ml-1 text-muted-foreground">(delete)</span>
                  ) : null}
                </TableCell>
                <TableCell className="hidden sm:table-cell">{k.regionName}</TableCell>
                <TableCell>
                  <Badge variant={s.variant}>{s.label}</Badge>
                </TableCell>
                <TableCell className="hidden tabular-nums md:table-cell">{k.attempts}</TableCell>
                <TableCell className="text-xs">
                  {k.lastError ? (
                    <p className="break-words text-destructive">{k.lastError}</p>
                  ) : null}
                  {k.nextAttemptAt && k.state !== "done" ? (
                    <p className="text-muted-foreground">
                      Next attempt{" "}
                      <time dateTime={k.nextAttemptAt} title={formatDateTime(k.nextAttemptAt)}>
                        {formatRelative(k.nextAttemptAt, now)}
                      </time>
                    </p>
                  ) : null}
                  {!k.lastError && (!k.nextAttemptAt || k.state === "done") ? (
                    <span className="text-muted-foreground">—</span>
                  ) : null}
                </TableCell>
              </TableRow>
            );
          })}
        </SimpleTable>
      ) : status ? (
        <p className="text-sm text-muted-foreground">No key needed a LiteLLM change.</p>
      ) : null}
    </div>
  );
}
