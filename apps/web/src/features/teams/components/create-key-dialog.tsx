/**
 * Creates an API key on a region's LiteLLM proxy and shows the secret exactly once
 * (Gatehouse keeps only a prefix). The key name rule is core's, shared with the API.
 */
import { trpc } from "@/lib/trpc.ts";
import { ZKeyName } from "@gatehouse/core";
import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery, useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { Field, fieldAria, TextField } from "@/components/field.tsx";
import { FormDialog } from "@/components/form-dialog.tsx";
import { SecretReveal } from "@/components/secret-reveal.tsx";
import { Button } from "@/components/ui/button.tsx";
import { OptionSelect } from "@/components/option-select.tsx";
import { registerField, useFormDialog } from "@/lib/forms.ts";
import { regionsQueryOptions } from "../api/keys-queries.ts";

const ZKeyForm = z.object({
  name: ZKeyName,
  regionId: z.string().min(1, "Choose a region"),
});
type KeyForm = z.infer<typeof ZKeyForm>;

export function CreateKeyDialog({ teamId }: { teamId: string }) {
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const create = useMutation(trpc.keys.create.mutationOptions());
  const form = useForm<KeyForm>({
    resolver: zodResolver(ZKeyForm),
    defaultValues: { name: "", regionId: "" },
  });
  const dialog = useFormDialog(form, { onClose: () => setSecret(null) });
  const regions = useQuery({ ...regionsQueryOptions(), enabled: dialog.open });
  const active = (regions.data ?? []).filter((r) => r.isActive);
  const { errors } = form.formState;

  return (
    <FormDialog
      state={dialog}
      trigger={<Button size="sm">New key</Button>}
      title="New API key"
      description="The key is created on the region's LiteLLM proxy for this team."
      onSubmit={form.handleSubmit((v) =>
        create.mutate(
          { teamId, name: v.name, regionId: v.regionId },
          {
            onSuccess: (r) => setSecret({ name: r.key.name, secret: r.secret }),
            onError: dialog.onError,
          },
        ),
      )}
      submitLabel="Create key"
      pendingLabel="Creating…"
      pending={create.isPending}
      revealed={
        secret ? (
          <SecretReveal
            title="Copy the key now"
            description={`This is the only time the secret of “${secret.name}” is shown.`}
            secret={secret.secret}
            copyLabel="Copy key"
            testId="key-secret"
            onDone={dialog.close}
          />
        ) : null
      }
    >
      <TextField
        id="key-name"
        label="Name"
        hint="Unique within the team."
        autoComplete="off"
        {...registerField(form, "name")}
      />
      <Field id="key-region" label="Region" error={errors.regionId?.message}>
        <OptionSelect
          {...fieldAria("key-region", errors.regionId?.message)}
          control={form.control}
          name="regionId"
          options={active.map((r) => ({ value: r.id, label: r.name }))}
          placeholder={
            regions.isLoading
              ? "Loading regions…"
              : active.length
                ? "Choose a region"
                : "No active region"
          }
        />
      </Field>
    </FormDialog>
  );
}
