/**
 * Creates a service token and shows its secret exactly once: only the hash is stored, so
 * closing the dialog loses it for good. The form and the reveal are two states of one dialog.
 */
import { ZName, ZServiceTokenScope } from "@gatehouse/core";
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
import { trpc } from "@/lib/trpc.ts";

const ZTokenForm = z
  .object({
    name: ZName,
    scope: ZServiceTokenScope,
    organizationId: z.string(),
  })
  .refine((v) => v.scope === "admin" || v.organizationId !== "", {
    path: ["organizationId"],
    message: "Choose an organization",
  });
type TokenForm = z.infer<typeof ZTokenForm>;

const scopeOptions = [
  { value: "organization", label: "One organization" },
  { value: "admin", label: "Admin (everything)" },
];

export function CreateServiceTokenDialog() {
  const [secret, setSecret] = useState<{ name: string; token: string } | null>(null);
  const create = useMutation(trpc.serviceTokens.create.mutationOptions());
  const form = useForm<TokenForm>({
    resolver: zodResolver(ZTokenForm),
    defaultValues: { name: "", scope: "organization", organizationId: "" },
  });
  const dialog = useFormDialog(form, { onClose: () => setSecret(null) });
  const orgs = useQuery({
    ...trpc.orgs.list.queryOptions({ page: 1, pageSize: 100 }),
    enabled: dialog.open,
  });
  const { errors } = form.formState;
  const scope = form.watch("scope");

  const onSubmit = form.handleSubmit((v) =>
    create.mutate(
      v.scope === "admin"
        ? { name: v.name, scope: "admin" }
        : { name: v.name, scope: "organization", organizationId: v.organizationId },
      {
        onSuccess: (created) => setSecret({ name: created.name, token: created.token }),
        onError: dialog.onError,
      },
    ),
  );

  return (
    <FormDialog
      state={dialog}
      trigger={<Button>New service token</Button>}
      title="New service token"
      description="For internal services calling the API. Admin scope can do everything a system administrator can."
      onSubmit={onSubmit}
      submitLabel="Create token"
      pendingLabel="Creating…"
      pending={create.isPending}
      revealed={
        secret ? (
          <SecretReveal
            title="Copy the token now"
            description={`This is the only time the secret of “${secret.name}” is shown. Gatehouse stores only its hash.`}
            secret={secret.token}
            copyLabel="Copy token"
            testId="service-token-secret"
            footnote={
              <>
                Callers send it as{" "}
                <code className="font-mono">Authorization: Bearer &lt;token&gt;</code>.
              </>
            }
            onDone={dialog.close}
          />
        ) : null
      }
    >
      <TextField
        id="token-name"
        label="Name"
        placeholder="e.g. billing-sync"
        {...registerField(form, "name")}
      />
      <Field id="token-scope" label="Scope">
        <OptionSelect id="token-scope" control={form.control} name="scope" options={scopeOptions} />
      </Field>
      {scope === "organization" ? (
        <Field id="token-org" label="Organization" error={errors.organizationId?.message}>
          <OptionSelect
            {...fieldAria("token-org", errors.organizationId?.message)}
            control={form.control}
            name="organizationId"
            options={(orgs.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))}
            placeholder={orgs.isLoading ? "Loading…" : "Choose an organization"}
          />
        </Field>
      ) : null}
    </FormDialog>
  );
}
