/**
 * The "Merge teams" button and its lazily loaded dialog. The dialog (and its preview and
 * progress views) is a separate chunk: only admins who open it download it.
 */
import { lazy, Suspense, useState } from "react";
import { Button } from "@/components/ui/button.tsx";
import { Dialog, DialogContent, DialogTitle } from "@/components/ui/dialog.tsx";
import { Skeleton } from "@/components/ui/skeleton.tsx";

const loadDialog = () => import("@/features/team-merge/components/merge-teams-dialog.tsx");
const MergeTeamsDialog = lazy(() => loadDialog().then((m) => ({ default: m.MergeTeamsDialog })));

interface TeamRef {
  id: string;
  name: string;
  organizationName: string | null;
}

export function MergeAction({
  label = "Merge teams",
  initialTarget = null,
  onMerged,
}: {
  label?: string;
  initialTarget?: TeamRef | null;
  onMerged?: (merge: { sourceTeamId: string; targetTeamId: string }) => void;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        variant="outline"
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
        // Start the download when the pointer or focus arrives, so the click feels instant.
        onPointerEnter={() => void loadDialog()}
        onFocus={() => void loadDialog()}
      >
        {label}
      </Button>
      {open ? (
        <Suspense fallback={<DialogLoading onClose={() => setOpen(false)} />}>
          <MergeTeamsDialog
            open={open}
            onOpenChange={setOpen}
            initialTarget={initialTarget}
            {...(onMerged ? { onMerged } : {})}
          />
        </Suspense>
      ) : null}
    </>
  );
}

function DialogLoading({ onClose }: { onClose: () => void }) {
  return (
    <Dialog open onOpenChange={(next) => !next && onClose()}>
      <DialogContent className="max-w-3xl" aria-describedby={undefined}>
        <DialogTitle>Merge teams</DialogTitle>
        <div className="flex flex-col gap-3" role="status" aria-label="Loading">
          <Skeleton className="h-9 w-full" />
          <Skeleton className="h-24 w-full" />
        </div>
      </DialogContent>
    </Dialog>
  );
}
