/**
 * Rotates an endpoint's signing secret: the new one is shown once; the old one keeps
 * signing (a second signature) for 24 hours, so the receiver can switch without a gap.
 */
import { useMutation } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { useForm } from "react-hook-form";
import { FormDialog } from "@/components/form-dialog.tsx";
import { SecretReveal } from "@/components/secret-reveal.tsx";
import { formatDateTime } from "@/lib/format.ts";
import { useFormDialog } from "@/lib/forms.ts";
import { trpc } from "@/lib/trpc.ts";
import type { Webhook } from "../api/webhooks-queries.ts";

export function RotateSecretDialog({ webhook, trigger }: { webhook: Webhook; trigger: ReactNode }) {
  const [rotated, setRotated] = useState<{ secret: string; until: string } | null>(null);
  const rotate = useMutation(trpc.webhooks.rotateSecret.mutationOptions());
  const form = useForm<Record<string, never>>({ defaultValues: {} });
  const dialog = useFormDialog(form, { onClose: () => setRotated(null) });
  const onSubmit = form.handleSubmit(() =>
    rotate.mutate(
      { webhookId: webhook.id },
      {
        onSuccess: (r) => setRotated({ secret: r.secret, until: r.previousSecretExpiresAt }),
        onError: dialog.onError,
      },
    ),
  );
  return (
    <FormDialog
      state={dialog}
      trigger={trigger}
      title="Rotate signing secret"
      description={`A new secret for ${webhook.url}. The current one still signs deliveries for 24 hours.`}
      onSubmit={onSubmit}
      submitLabel="Rotate secret"
      pending={rotate.isPending}
      revealed={
        rotated ? (
          <SecretReveal
            title="Copy the new signing secret now"
            description={`This is the only time it is shown. Deliveries carry signatures by both secrets until ${formatDateTime(rotated.until)}.`}
            secret={rotated.secret}
            copyLabel="Copy secret"
            testId="webhook-rotated-secret"
            onDone={dialog.close}
          />
        ) : null
      }
    >
      <p className="text-sm">Receivers should accept the new secret before the old one stops.</p>
    </FormDialog>
  );
}
