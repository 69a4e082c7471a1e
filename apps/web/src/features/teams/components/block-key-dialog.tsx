/**
 * Blocks one key by hand (keys.block), with an optional reason: the key's row then says who
 * blocked it and why, to everyone who sees the key, and the audit log keeps it.
 */
import { trpc } from "@/lib/trpc.ts";
import { useMutation } from "@tanstack/react-query";
import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { DialogHeading } from "@/components/dialog-heading.tsx";
import { TextField } from "@/components/field.tsx";
import { FormActions, FormFailure } from "@/components/form-dialog.tsx";
import { Dialog, DialogContent } from "@/components/ui/dialog.tsx";
import { useApiFormErrors } from "@/lib/forms.ts";
import type { ApiKey } from "../api/keys-queries.ts";

const REASON_MAX = 500;
const ZBlockKeyForm = z.object({ reason: z.string().trim().max(REASON_MAX) });
type BlockKeyForm = z.infer<typeof ZBlockKeyForm>;

export function BlockKeyDialog({
  apiKey,
  onClose,
}: {
  /** The key to block; null: closed. */
  apiKey: Pick<ApiKey, "id" | "name"> | null;
  onClose: () => void;
}) {
  const block = useMutation(trpc.keys.block.mutationOptions());
  const form = useForm<BlockKeyForm>({
    resolver: zodResolver(ZBlockKeyForm),
    defaultValues: { reason: "" },
  });
  const errors = useApiFormErrors(form);
  const close = () => {
    form.reset();
    errors.clear();
    onClose();
  };
  return (
    <Dialog open={apiKey !== null} onOpenChange={(open) => !open && close()}>
      <DialogContent>
        <DialogHeading
          title="Block API key"
          description={
            apiKey ? (
              <p>
                Block <strong className="font-mono">{apiKey.name}</strong>? Every request with it is
                refused until it is unblocked; the key itself is kept.
              </p>
            ) : null
          }
          block
        />
        <form
          noValidate
          className="flex flex-col gap-4"
          onSubmit={form.handleSubmit(({ reason }) => {
            if (!apiKey) return;
            block.mutate(
              { keyId: apiKey.id, ...(reason ? { reason } : {}) },
              {
                onSuccess: () => {
                  toast.success(`Key ${apiKey.name} blocked`);
                  close();
                },
                onError: errors.onError,
              },
            );
          })}
        >
          <TextField
            id="block-key-reason"
            label="Reason (optional)"
            hint="Shown with the key to those who see it, and in the audit log"
            error={form.formState.errors.reason?.message}
            maxLength={REASON_MAX}
            placeholder="e.g. leaked in a support ticket"
            {...form.register("reason")}
          />
          <FormFailure failure={errors.failure} />
          <FormActions
            submitLabel="Block key"
            pendingLabel="Blocking…"
            pending={block.isPending}
            destructive
            onCancel={close}
          />
        </form>
      </DialogContent>
    </Dialog>
  );
}
