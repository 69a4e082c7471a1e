/**
 * Add or edit a webhook endpoint: its URL, what it is for, and the event types it gets.
 * Adding one answers its signing secret, shown here once (the API keeps it sealed).
 */
import { EVENT_TYPES, OPERATIONS_EVENT_TYPES, type EventType } from "@gatehouse/core";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { CheckboxField, TextField } from "@/components/field.tsx";
import { FormDialog } from "@/components/form-dialog.tsx";
import { SecretReveal } from "@/components/secret-reveal.tsx";
import { registerField, useFormDialog } from "@/lib/forms.ts";
import { trpc } from "@/lib/trpc.ts";
import type { Webhook } from "../api/webhooks-queries.ts";

const ZWebhookForm = z.object({
  url: z.string().trim().url("Enter the receiver's URL, e.g. https://hooks.example.com/gatehouse"),
  description: z.string().trim().max(300),
  eventTypes: z.array(z.enum(EVENT_TYPES)).min(1, "Choose at least one event type"),
});
type WebhookForm = z.infer<typeof ZWebhookForm>;

/** The types an endpoint may choose: operations events reach global endpoints only. */
export function eventTypeChoices(organizationId: string | null): EventType[] {
  return EVENT_TYPES.filter(
    (t) => organizationId === null || !(OPERATIONS_EVENT_TYPES as readonly string[]).includes(t),
  );
}

const toForm = (webhook: Webhook | undefined): WebhookForm => ({
  url: webhook?.url ?? "",
  description: webhook?.description ?? "",
  eventTypes: webhook?.eventTypes ?? [],
});

export function WebhookFormDialog({
  organizationId,
  webhook,
  trigger,
}: {
  organizationId: string | null;
  webhook?: Webhook;
  trigger: ReactNode;
}) {
  const [secret, setSecret] = useState<string | null>(null);
  const create = useMutation(trpc.webhooks.create.mutationOptions());
  const update = useMutation(trpc.webhooks.update.mutationOptions());
  const form = useForm<WebhookForm>({
    resolver: zodResolver(ZWebhookForm),
    defaultValues: toForm(webhook),
  });
  const dialog = useFormDialog(form, {
    initial: () => toForm(webhook),
    onClose: () => setSecret(null),
  });
  const prefix = webhook ? `webhook-${webhook.id}` : "new-webhook";
  const typesError = form.formState.errors.eventTypes?.message;

  const onSubmit = form.handleSubmit((v) => {
    if (webhook) {
      update.mutate(
        { webhookId: webhook.id, url: v.url, description: v.description, eventTypes: v.eventTypes },
        {
          onSuccess: () => {
            toast.success("Webhook endpoint saved");
            dialog.close();
          },
          onError: dialog.onError,
        },
      );
    } else {
      create.mutate(
        {
          ...(organizationId ? { organizationId } : {}),
          url: v.url,
          eventTypes: v.eventTypes,
          ...(v.description ? { description: v.description } : {}),
        },
        { onSuccess: (created) => setSecret(created.secret), onError: dialog.onError },
      );
    }
  });

  return (
    <FormDialog
      state={dialog}
      trigger={trigger}
      title={webhook ? "Edit webhook endpoint" : "Add webhook endpoint"}
      description="Gatehouse POSTs the chosen events to this URL, signed per Standard Webhooks."
      onSubmit={onSubmit}
      submitLabel={webhook ? "Save endpoint" : "Add endpoint"}
      pending={create.isPending || update.isPending}
      revealed={
        secret ? (
          <SecretReveal
            title="Copy the signing secret now"
            description="This is the only time it is shown. Receivers verify each delivery's webhook-signature with it (e.g. the standardwebhooks library)."
            secret={secret}
            copyLabel="Copy secret"
            testId="webhook-secret"
            onDone={dialog.close}
          />
        ) : null
      }
    >
      <TextField
        id={`${prefix}-url`}
        label="URL"
        placeholder="https://hooks.example.com/gatehouse"
        hint="https only; never a private or link-local address."
        {...registerField(form, "url")}
      />
      <TextField
        id={`${prefix}-description`}
        label="Description (optional)"
        {...registerField(form, "description")}
      />
      <fieldset
        className="flex flex-col gap-1.5"
        aria-describedby={typesError ? `${prefix}-types-error` : undefined}
      >
        <legend className="mb-1 text-sm font-medium">Event types</legend>
        <div className="grid grid-cols-1 gap-1 sm:grid-cols-2">
          {eventTypeChoices(organizationId).map((type) => (
            <CheckboxField
              key={type}
              label={<code className="font-mono text-xs">{type}</code>}
              value={type}
              {...form.register("eventTypes")}
            />
          ))}
        </div>
        {typesError ? (
          <p id={`${prefix}-types-error`} className="text-sm text-destructive">
            {typesError}
          </p>
        ) : null}
      </fieldset>
    </FormDialog>
  );
}
