/**
 * Cutting a team off and giving access back (teams.block / teams.unblock: system admins,
 * and org admins inside their organizations), and the banner saying why a team is blocked.
 * Reasons are independent: unblocking lifts only the manual block, an expired team stays
 * blocked until a payment or an active product. The banner says who placed a manual block;
 * Unblock is offered only when the API says this caller may lift it (`canUnblock`: a block
 * placed at a higher level, a system admin's for an org admin, is not theirs to lift).
 */
import { blockLevelLabel } from "@gatehouse/core";
import { trpc } from "@/lib/trpc.ts";
import { useMutation } from "@tanstack/react-query";
import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { ConfirmAction, useConfirmTarget } from "@/components/confirm-action.tsx";
import { TextField } from "@/components/field.tsx";
import { FormDialog } from "@/components/form-dialog.tsx";
import { Button } from "@/components/ui/button.tsx";
import { formatDateTime } from "@/lib/format.ts";
import { useFormDialog } from "@/lib/forms.ts";
import { type TeamBlockReason, type TeamDetail } from "../api/teams-queries.ts";

const REASON_MAX = 500;
const ZBlockForm = z.object({ reason: z.string().trim().max(REASON_MAX) });
type BlockForm = z.infer<typeof ZBlockForm>;

/** "an organization admin", "a system admin". */
function withArticle(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? "an" : "a"} ${noun}`;
}

function reasonText(r: TeamBlockReason): string {
  if (r.reason === "manual") {
    const who = r.placedBy
      ? `${r.placedBy}${r.level ? ` (${blockLevelLabel(r.level)})` : ""}`
      : "an administrator";
    return `Blocked by ${who} since ${formatDateTime(r.since)}${r.note ? `: “${r.note}”` : " (no reason given)"}.`;
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

/** Block (with an optional reason) when there is no manual block, else Unblock. */
export function TeamBlockActions({
  team,
}: {
  team: Pick<TeamDetail, "id" | "name" | "blockReasons" | "canUnblock">;
}) {
  const manual = team.blockReasons.find((r) => r.reason === "manual");
  const expired = team.blockReasons.some((r) => r.reason === "expired");
  const unblocking = useConfirmTarget<typeof team>();
  const block = useMutation(trpc.teams.block.mutationOptions());
  const unblock = useMutation(trpc.teams.unblock.mutationOptions());
  const form = useForm<BlockForm>({
    resolver: zodResolver(ZBlockForm),
    defaultValues: { reason: "" },
  });
  const dialog = useFormDialog(form);
  const reasonError = form.formState.errors.reason?.message;

  if (manual && !team.canUnblock) {
    // Placed above this caller's level: the banner says by whom; nothing to offer here.
    return (
      <p className="text-sm text-muted-foreground">
        Only {withArticle(manual.level ? blockLevelLabel(manual.level) : "administrator")} can lift
        this block.
      </p>
    );
  }

  if (manual) {
    return (
      <>
        <Button variant="outline" aria-haspopup="dialog" onClick={() => unblocking.ask(team)}>
          Unblock team
        </Button>
        <ConfirmAction
          state={unblocking}
          title="Unblock team"
          destructive={false}
          description={(t) => (
            <p>
              Lift the manual block on <strong>{t.name}</strong>?
              {expired
                ? " It stays blocked while it is expired."
                : " Its keys work again once every region is updated."}
            </p>
          )}
          confirmLabel="Unblock"
          run={(t) => unblock.mutateAsync({ teamId: t.id })}
          done={(t, result) =>
            result.blocked
              ? `${t.name}: manual block lifted (still expired)`
              : `${t.name} unblocked`
          }
        />
      </>
    );
  }

  return (
    <FormDialog
      state={dialog}
      trigger={<Button variant="destructive">Block team</Button>}
      title={`Block ${team.name}`}
      description="Every region's LiteLLM team is blocked: all of its keys stop working until you unblock it. Members, keys and products are kept."
      onSubmit={form.handleSubmit(({ reason }) =>
        block.mutate(
          { teamId: team.id, ...(reason ? { reason } : {}) },
          {
            onSuccess: () => {
              toast.success(`${team.name} blocked`);
              dialog.close();
            },
            onError: dialog.onError,
          },
        ),
      )}
      submitLabel="Block team"
      pendingLabel="Blocking…"
      pending={block.isPending}
      destructive
    >
      <TextField
        id="block-reason"
        label="Reason (optional)"
        hint="Shown on the team page, and in the audit log"
        error={reasonError}
        maxLength={REASON_MAX}
        placeholder="e.g. unpaid invoice"
        {...form.register("reason")}
      />
    </FormDialog>
  );
}
