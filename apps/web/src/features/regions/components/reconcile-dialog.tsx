/**
 * The regions table's "In step" / "N differences" cell: opens the region's last report,
 * with "Check now", "Repair" (queues the fixes, then shows their progress) and the explicit
 * deletion of orphan keys.
 */
import { trpc } from "@/lib/trpc.ts";
import { useQuery, useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { ErrorState } from "@/components/error-state.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { DialogHeading } from "@/components/dialog-heading.tsx";
import { Dialog, DialogContent, DialogTrigger } from "@/components/ui/dialog.tsx";
import { Skeleton } from "@/components/ui/skeleton.tsx";
import { errorInfo } from "@/lib/errors.ts";
import {
  reconcileStatusQueryOptions,
  useReconcileRegion,
  type Region,
} from "../api/regions-queries.ts";
import { ReconcileReportView, reconcileSummary } from "./reconcile-report-view.tsx";

export function ReconcileDialog({ region }: { region: Region }) {
  const [open, setOpen] = useState(false);
  const summary = reconcileSummary(region);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="ghost" size="sm" className="h-auto p-0">
          <Badge variant={summary.variant}>{summary.text}</Badge>
          <span className="sr-only"> for {region.name}: show the report</span>
        </Button>
      </DialogTrigger>
      <DialogContent className="max-w-3xl">
        <DialogHeading
          title={`Reconciliation of ${region.name}`}
          description="What the region's LiteLLM proxy holds, compared with Gatehouse."
        />
        {open ? <ReconcileContent regionId={region.id} /> : null}
      </DialogContent>
    </Dialog>
  );
}

function ReconcileContent({ regionId }: { regionId: string }) {
  const status = useQuery(reconcileStatusQueryOptions(regionId));
  const reconcile = useReconcileRegion();
  const deleteOrphans = useMutation(trpc.regions.deleteOrphanKeys.mutationOptions());
  const busy = reconcile.isPending || deleteOrphans.isPending;
  const fail = (what: string) => (error: unknown) =>
    toast.error(`${what}: ${errorInfo(error).message}`);

  if (status.isPending)
    return (
      <div role="status" aria-label="Loading the report" aria-busy="true">
        <Skeleton className="h-40 w-full" />
      </div>
    );
  if (status.error)
    return <ErrorState error={status.error} onRetry={() => void status.refetch()} />;
  return (
    <ReconcileReportView
      status={status.data}
      busy={busy}
      onCheck={() => reconcile.mutate({ regionId }, { onError: fail("The check failed") })}
      onRepair={() =>
        reconcile.mutate(
          { regionId, repair: true },
          {
            onSuccess: (result) =>
              toast.success(`Repair queued: ${result.repair?.queued ?? 0} fixes`),
            onError: fail("The repair failed"),
          },
        )
      }
      onDeleteOrphans={() =>
        deleteOrphans.mutate(
          { regionId },
          {
            onSuccess: (result) =>
              toast.success(`${result.queued} orphan keys queued for deletion`),
            onError: fail("Deleting orphan keys failed"),
          },
        )
      }
    />
  );
}
