/**
 * Cutting a team off and giving access back (teams.block / teams.unblock: system admins,
 * and org admins inside their organizations), and the banner saying why a team is blocked.
 * Reasons are independent: unblocking lifts only the manual block, an expired team stays
 * blocked until a payment or an active product.
 */
import { useState } from "react";
import { toast } from "sonner";
import { ConfirmDialog } from "@/components/confirm-dialog.tsx";
import { Field } from "@/components/field.tsx";
import { Button } from "@/components/ui/button.tsx";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog.tsx";
import { Input } from "@/components/ui/input.tsx";
import { errorInfo, errorSummary } from "@/lib/errors.ts";
import { formatDateTime } from "@/lib/format.ts";
import {
  useBlockTeam,
  useUnblockTeam,
  type TeamBlockReason,
  type TeamDetail,
} from "../api/teams-queries.ts";

const REASON_MAX = 500;

function reasonText(r: TeamBlockReason): string {
  if (r.reason === "manual") {
    return `Blocked by an administrator since ${formatDateTime(r.since)}${r.note ? `: “${r.note}”` : " (no reason given)"}.`;
  }
  return `Expired (no recent payment and no active product); blocked since ${formatDateTime(r.since)}. Record a payment or attach an active product to restore access.`;
}

export function TeamBlockedBanner({ blockReasons }: { blockReasons: readonly TeamBlockReason[] }) {
  if (blockReasons.length === 0) return null;
  return (
    <div
      role="alert"
      data-testid="team-blocked-banner"
      className="mb-5 rounded-lg border border-destructive/40 bg-destructive/5 px-4 py-3 text-sm"
    >
      <p className="font-semibold text-destructive">
        This team is blocked: every LiteLLM proxy refuses its keys.
      </p>
      <ul className="mt-1 list-disc pl-5">
        {blockReasons.map((r) => (
          <li key={r.reason}>{reasonText(r)}</li>
        ))}
      </ul>
      {blockReasons.length > 1 ? (
        <p className="mt-1 text-muted-foreground">
          Access returns only when every reason is lifted.
        </p>
      ) : null}
    </div>
  );
}

function toastError(error: unknown) {
  const { title, description } = errorSummary(error);
  toast.error(title, description ? { description } : undefined);
}

/** Block (with an optional reason) when there is no manual block, else Unblock. */
export function TeamBlockActions({
  team,
}: {
  team: Pick<TeamDetail, "id" | "name" | "blockReasons">;
}) {
  const manual = team.blockReasons.some((r) => r.reason === "manual");
  const expired = team.blockReasons.some((r) => r.reason === "expired");
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const block = useBlockTeam();
  const unblock = useUnblockTeam();
  const failure = block.error ? errorInfo(block.error) : null;
  const reasonError = failure?.fieldErrors?.reason?.join(", ");

  if (manual) {
    return (
      <>
        <Button variant="outline" onClick={() => setOpen(true)}>
          Unblock team
        </Button>
        <ConfirmDialog
          open={open}
          onOpenChange={setOpen}
          title="Unblock team"
          destructive={false}
          description={
            <p>
              Lift the manual block on <strong>{team.name}</strong>?
              {expired
                ? " It stays blocked while it is expired."
                : " Its keys work again once every region is updated."}
            </p>
          }
          confirmLabel="Unblock"
          busy={unblock.isPending}
          onConfirm={() =>
            unblock.mutate(
              { teamId: team.id },
              {
                onSuccess: (result) => {
                  toast.success(
                    result.blocked
                      ? `${team.name}: manual block lifted (still expired)`
                      : `${team.name} unblocked`,
                  );
                  setOpen(false);
                },
                onError: toastError,
              },
            )
          }
        />
      </>
    );
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) {
          block.reset();
          setReason("");
        }
      }}
    >
      <DialogTrigger asChild>
        <Button variant="destructive">Block team</Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Block {team.name}</DialogTitle>
          <DialogDescription>
            Every region&apos;s LiteLLM team is blocked: all of its keys stop working until you
            unblock it. Members, keys and products are kept.
          </DialogDescription>
        </DialogHeader>
        <form
          noValidate
          className="flex flex-col gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            const note = reason.trim();
            block.mutate(
              { teamId: team.id, ...(note ? { reason: note } : {}) },
              {
                onSuccess: () => {
                  toast.success(`${team.name} blocked`);
                  setOpen(false);
                  setReason("");
                },
              },
            );
          }}
        >
          <Field
            id="block-reason"
            label="Reason (optional)"
            hint="Shown on the team page, and in the audit log"
            error={reasonError}
          >
            <Input
              id="block-reason"
              aria-invalid={reasonError ? true : undefined}
              aria-describedby={reasonError ? "block-reason-error" : "block-reason-hint"}
              maxLength={REASON_MAX}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              placeholder="e.g. unpaid invoice"
            />
          </Field>
          {failure && !reasonError ? (
            <p role="alert" className="text-sm text-destructive">
              {failure.message}
              {failure.requestId ? (
                <span className="block text-xs text-muted-foreground">
                  Request ID: {failure.requestId}
                </span>
              ) : null}
            </p>
          ) : null}
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" variant="destructive" disabled={block.isPending}>
              {block.isPending ? "Blocking…" : "Block team"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
