/**
 * Creates an API key on a region's LiteLLM proxy and shows the secret exactly once
 * (Gatehouse keeps only a prefix). The key name rule is core's, shared with the API. The
 * key's own limits (budget and its period, rate limits, a subset of the team's models) and
 * its expiry (a date or a lifetime in days) are optional: the API checks them against the
 * team's entitlement and names the product that caps a refused one.
 */
import { trpc } from "@/lib/trpc.ts";
import { LITELLM_DURATION, ZKeyName } from "@gatehouse/core";
import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery, useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { CheckboxField, Field, fieldAria, TextField } from "@/components/field.tsx";
import { FormDialog } from "@/components/form-dialog.tsx";
import { SecretReveal } from "@/components/secret-reveal.tsx";
import { Button } from "@/components/ui/button.tsx";
import { OptionSelect } from "@/components/option-select.tsx";
import { registerField, useFormDialog } from "@/lib/forms.ts";
import { regionsQueryOptions } from "../api/keys-queries.ts";

const optionalNumber = (int: boolean) =>
  z
    .string()
    .trim()
    .refine((v) => v === "" || (Number.isFinite(Number(v)) && Number(v) >= 0), "Enter a number ≥ 0")
    .refine((v) => !int || v === "" || Number.isInteger(Number(v)), "Enter a whole number");

const ZKeyForm = z.object({
  name: ZKeyName,
  regionId: z.string().min(1, "Choose a region"),
  maxBudgetUsd: optionalNumber(false),
  budgetDuration: z
    .string()
    .trim()
    .refine((v) => v === "" || LITELLM_DURATION.test(v), "A duration such as 30d, 1mo, 12h"),
  rpmLimit: optionalNumber(true),
  tpmLimit: optionalNumber(true),
  models: z.array(z.string()),
  /** A day (yyyy-mm-dd): the key works until the end of it (UTC). */
  expiresAt: z.string(),
  lifetimeDays: optionalNumber(true),
});
type KeyForm = z.infer<typeof ZKeyForm>;

const numberOrUndefined = (v: string) => (v.trim() === "" ? undefined : Number(v));

/** The API's input from the form: only what was filled in. */
function keyLimitsInput(v: KeyForm) {
  const budget = numberOrUndefined(v.maxBudgetUsd);
  const rpm = numberOrUndefined(v.rpmLimit);
  const tpm = numberOrUndefined(v.tpmLimit);
  const days = numberOrUndefined(v.lifetimeDays);
  return {
    ...(budget !== undefined ? { maxBudgetUsd: budget } : {}),
    ...(v.budgetDuration ? { budgetDuration: v.budgetDuration } : {}),
    ...(rpm !== undefined ? { rpmLimit: rpm } : {}),
    ...(tpm !== undefined ? { tpmLimit: tpm } : {}),
    ...(v.models.length > 0 ? { models: v.models } : {}),
    ...(v.expiresAt ? { expiresAt: `${v.expiresAt}T23:59:59.000Z` } : {}),
    ...(days !== undefined ? { lifetimeDays: days } : {}),
  };
}

export function CreateKeyDialog({
  teamId,
  teamModels = [],
}: {
  teamId: string;
  /** The models the team's entitlement allows ([]: all); a key may take a subset. */
  teamModels?: readonly string[];
}) {
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const create = useMutation(trpc.keys.create.mutationOptions());
  const form = useForm<KeyForm>({
    resolver: zodResolver(ZKeyForm),
    defaultValues: {
      name: "",
      regionId: "",
      maxBudgetUsd: "",
      budgetDuration: "",
      rpmLimit: "",
      tpmLimit: "",
      models: [],
      expiresAt: "",
      lifetimeDays: "",
    },
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
          { teamId, name: v.name, regionId: v.regionId, ...keyLimitsInput(v) },
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
      <fieldset className="grid grid-cols-2 gap-3">
        <legend className="mb-2 text-sm font-medium">Limits of this key (optional)</legend>
        <TextField
          id="key-budget"
          label="Budget (USD)"
          inputMode="decimal"
          autoComplete="off"
          {...registerField(form, "maxBudgetUsd")}
        />
        <TextField
          id="key-budget-duration"
          label="Budget period"
          hint="e.g. 30d, 1mo"
          autoComplete="off"
          {...registerField(form, "budgetDuration")}
        />
        <TextField
          id="key-rpm"
          label="Requests / minute"
          inputMode="numeric"
          autoComplete="off"
          {...registerField(form, "rpmLimit")}
        />
        <TextField
          id="key-tpm"
          label="Tokens / minute"
          inputMode="numeric"
          autoComplete="off"
          {...registerField(form, "tpmLimit")}
        />
      </fieldset>
      {teamModels.length > 0 ? (
        <fieldset className="flex flex-col gap-1">
          <legend className="mb-1 text-sm font-medium">
            Models (none ticked: all of the team’s)
          </legend>
          {teamModels.map((m) => (
            <CheckboxField key={m} label={m} value={m} {...form.register("models")} />
          ))}
          {errors.models?.message ? (
            <p className="text-sm text-destructive">{errors.models.message}</p>
          ) : null}
        </fieldset>
      ) : null}
      <div className="grid grid-cols-2 gap-3">
        <TextField
          id="key-expires"
          label="Expires on"
          type="date"
          {...registerField(form, "expiresAt")}
        />
        <TextField
          id="key-lifetime"
          label="or lifetime (days)"
          inputMode="numeric"
          autoComplete="off"
          {...registerField(form, "lifetimeDays")}
        />
      </div>
    </FormDialog>
  );
}
