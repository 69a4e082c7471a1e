/**
 * A product's name, renewal period, active flag and limits (core's TProductLimits). Kept
 * free of network code: the dialog passes `onSubmit`, which rejects with the API's error;
 * its `data.fieldErrors` ("limits.maxKeys", "limits.models.0", "name", …) land on the
 * matching inputs (lib/forms.ts), anything else in one alert under the form.
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { useForm, useWatch } from "react-hook-form";
import { z } from "zod";
import {
  LIMIT_FIELDS,
  LITELLM_DURATION,
  ROTATE_EVERY_DAYS_MAX,
  ROTATE_EVERY_DAYS_MIN,
  ZName,
  type TProductLimits,
} from "@gatehouse/core";
import { TextField } from "@/components/field.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { FormActions, FormFailure } from "@/components/form-dialog.tsx";
import { useApiFormErrors } from "@/lib/forms.ts";

/** Empty inputs mean "no limit"; numbers typed in text boxes arrive as strings. */
const optionalNumber = (max: number, integer = true) =>
  z
    .string()
    .trim()
    .refine(
      (v) =>
        v === "" ||
        (Number.isFinite(Number(v)) &&
          Number(v) >= 0 &&
          Number(v) <= max &&
          (!integer || Number.isInteger(Number(v)))),
      {
        message: integer
          ? `A whole number from 0 to ${max.toLocaleString("en-US")}`
          : `A number from 0 to ${max.toLocaleString("en-US")}`,
      },
    );

const ZProductForm = z
  .object({
    name: ZName,
    renewalPeriodDays: z
      .string()
      .trim()
      .refine((v) => Number.isInteger(Number(v)) && Number(v) >= 1 && Number(v) <= 3660, {
        message: "1 to 3660 days",
      }),
    isActive: z.boolean(),
    maxKeys: optionalNumber(1_000_000),
    maxBudgetUsd: optionalNumber(1e9, false),
    budgetDuration: z
      .string()
      .trim()
      .refine((v) => v === "" || LITELLM_DURATION.test(v), {
        message: "Like 30d, 1mo, 12h (s, m, h, d or mo)",
      }),
    rpmLimit: optionalNumber(1e9),
    tpmLimit: optionalNumber(1e12),
    models: z.string().max(20_000),
    rotateEveryDays: z
      .string()
      .trim()
      .refine(
        (v) =>
          v === "" ||
          (Number.isInteger(Number(v)) &&
            Number(v) >= ROTATE_EVERY_DAYS_MIN &&
            Number(v) <= ROTATE_EVERY_DAYS_MAX),
        { message: `${ROTATE_EVERY_DAYS_MIN} to ${ROTATE_EVERY_DAYS_MAX} days` },
      ),
    // What a key of a team holding the product gets when its creator sets nothing, and
    // the longest a key may live.
    keyBudgetUsd: optionalNumber(1e9, false),
    keyBudgetDuration: z
      .string()
      .trim()
      .refine((v) => v === "" || LITELLM_DURATION.test(v), {
        message: "Like 30d, 1mo, 12h (s, m, h, d or mo)",
      }),
    keyRpmLimit: optionalNumber(1e9),
    keyTpmLimit: optionalNumber(1e12),
    keyMaxLifetimeDays: z
      .string()
      .trim()
      .refine(
        (v) => v === "" || (Number.isInteger(Number(v)) && Number(v) >= 1 && Number(v) <= 36_500),
        {
          message: "1 to 36500 days",
        },
      ),
  })
  .refine((v) => v.budgetDuration === "" || v.maxBudgetUsd !== "", {
    path: ["budgetDuration"],
    message: "A reset period needs a budget",
  });
export type ProductFormValues = z.infer<typeof ZProductForm>;
type FormField = keyof ProductFormValues;

export interface ProductFormOutput {
  name: string;
  renewalPeriodDays: number;
  isActive: boolean;
  limits: TProductLimits;
}

export interface ProductFormInitial {
  name: string;
  renewalPeriodDays: number;
  isActive: boolean;
  limits: TProductLimits;
}

/** "gpt-4o, claude-3-5-sonnet\nllama" -> distinct names in order. */
export function parseModels(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,\n]/)
        .map((m) => m.trim())
        .filter((m) => m !== ""),
    ),
  ];
}

const numberOrNull = (v: string): number | null => (v.trim() === "" ? null : Number(v));
const text = (v: number | null): string => (v === null ? "" : String(v));

export function toFormValues(initial: ProductFormInitial | undefined): ProductFormValues {
  const l = initial?.limits;
  return {
    name: initial?.name ?? "",
    renewalPeriodDays: String(initial?.renewalPeriodDays ?? 30),
    isActive: initial?.isActive ?? true,
    maxKeys: text(l?.maxKeys ?? null),
    maxBudgetUsd: text(l?.maxBudgetUsd ?? null),
    budgetDuration: l?.budgetDuration ?? "",
    rpmLimit: text(l?.rpmLimit ?? null),
    tpmLimit: text(l?.tpmLimit ?? null),
    models: (l?.models ?? []).join(", "),
    rotateEveryDays: text(l?.rotateEveryDays ?? null),
    keyBudgetUsd: text(l?.keyDefaults?.maxBudgetUsd ?? null),
    keyBudgetDuration: l?.keyDefaults?.budgetDuration ?? "",
    keyRpmLimit: text(l?.keyDefaults?.rpmLimit ?? null),
    keyTpmLimit: text(l?.keyDefaults?.tpmLimit ?? null),
    keyMaxLifetimeDays: text(l?.keyMaxLifetimeDays ?? null),
  };
}

export function toProductInput(v: ProductFormValues): ProductFormOutput {
  return {
    name: v.name.trim(),
    renewalPeriodDays: Number(v.renewalPeriodDays),
    isActive: v.isActive,
    // Every field is sent, null included: on edit, clearing a box removes that limit.
    limits: {
      maxKeys: numberOrNull(v.maxKeys),
      maxBudgetUsd: numberOrNull(v.maxBudgetUsd),
      budgetDuration: v.budgetDuration.trim() === "" ? null : v.budgetDuration.trim(),
      rpmLimit: numberOrNull(v.rpmLimit),
      tpmLimit: numberOrNull(v.tpmLimit),
      models: parseModels(v.models),
      rotateEveryDays: numberOrNull(v.rotateEveryDays),
      ...keyFieldsOf(v),
    },
  };
}

/** The key defaults and lifetime cap, sent only when one is set (a product without keeps none). */
function keyFieldsOf(
  v: ProductFormValues,
): Pick<TProductLimits, "keyDefaults" | "keyMaxLifetimeDays"> {
  const keyDefaults = {
    maxBudgetUsd: numberOrNull(v.keyBudgetUsd),
    budgetDuration: v.keyBudgetDuration.trim() === "" ? null : v.keyBudgetDuration.trim(),
    rpmLimit: numberOrNull(v.keyRpmLimit),
    tpmLimit: numberOrNull(v.keyTpmLimit),
  };
  const lifetime = numberOrNull(v.keyMaxLifetimeDays);
  return {
    ...(Object.values(keyDefaults).some((x) => x !== null) ? { keyDefaults } : {}),
    ...(lifetime !== null ? { keyMaxLifetimeDays: lifetime } : {}),
  };
}

const keyDefaultFormFields: Record<string, FormField> = {
  maxBudgetUsd: "keyBudgetUsd",
  budgetDuration: "keyBudgetDuration",
  rpmLimit: "keyRpmLimit",
  tpmLimit: "keyTpmLimit",
};

const formFields: readonly FormField[] = [
  "name",
  "renewalPeriodDays",
  "isActive",
  ...LIMIT_FIELDS,
  "rotateEveryDays",
];

/** An API field path -> the form input showing it ("limits.models.3" -> "models"), or null. */
export function formFieldOf(apiField: string): FormField | null {
  const parts = apiField.split(".");
  if (parts[0] === "limits" && parts[1] === "keyDefaults")
    return keyDefaultFormFields[parts[2] ?? ""] ?? null;
  if (parts[0] === "limits" && parts[1] === "keyMaxLifetimeDays") return "keyMaxLifetimeDays";
  const name = parts[0] === "limits" ? parts[1] : parts[0];
  return name && (formFields as readonly string[]).includes(name) ? (name as FormField) : null;
}

const numberFields = [
  { name: "maxKeys", label: "Max keys", hint: "Across all regions" },
  {
    name: "maxBudgetUsd",
    label: "Max budget (USD)",
    hint: "Each region's LiteLLM team gets the full budget",
  },
  { name: "budgetDuration", label: "Budget resets every", hint: "e.g. 30d, 1mo; empty: never" },
  { name: "rpmLimit", label: "Requests per minute", hint: undefined },
  { name: "tpmLimit", label: "Tokens per minute", hint: undefined },
  {
    name: "rotateEveryDays",
    label: "Rotate keys every (days)",
    hint: "Scheduled key rotation for the product's teams; empty: none",
  },
] as const;

const keyFields = [
  { name: "keyBudgetUsd", label: "Key budget (USD)", hint: undefined },
  { name: "keyBudgetDuration", label: "Key budget resets every", hint: "e.g. 30d, 1mo" },
  { name: "keyRpmLimit", label: "Key requests per minute", hint: undefined },
  { name: "keyTpmLimit", label: "Key tokens per minute", hint: undefined },
  {
    name: "keyMaxLifetimeDays",
    label: "Key max lifetime (days)",
    hint: "A key created without an expiry gets this one",
  },
] as const;

export function ProductForm({
  initial,
  lockRenewal = false,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initial?: ProductFormInitial;
  /** products.update does not change the renewal period: shown, not editable. */
  lockRenewal?: boolean;
  submitLabel: string;
  /** Rejects with the API error; field errors are shown on the inputs. */
  onSubmit: (input: ProductFormOutput) => Promise<unknown>;
  onCancel?: () => void;
}) {
  const form = useForm<ProductFormValues>({
    resolver: zodResolver(ZProductForm),
    defaultValues: toFormValues(initial),
  });
  const { errors, isSubmitting } = form.formState;
  const apiErrors = useApiFormErrors(form, formFieldOf);
  const models = parseModels(useWatch({ control: form.control, name: "models" }));
  const idp = "product";

  const submit = form.handleSubmit(async (values) => {
    apiErrors.clear();
    try {
      await onSubmit(toProductInput(values));
    } catch (error) {
      apiErrors.onError(error);
    }
  });

  const err = (name: FormField) => errors[name]?.message;

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-4" aria-label="Product">
      <TextField id={`${idp}-name`} label="Name" error={err("name")} {...form.register("name")} />
      <TextField
        id={`${idp}-renewal`}
        label="Renewal period (days)"
        hint={lockRenewal ? "Set when the product is created" : undefined}
        error={err("renewalPeriodDays")}
        inputMode="numeric"
        readOnly={lockRenewal}
        {...form.register("renewalPeriodDays")}
      />
      <fieldset className="grid gap-3 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-medium">Limits (empty: no limit)</legend>
        {numberFields.map((f) => (
          <TextField
            key={f.name}
            id={`${idp}-${f.name}`}
            label={f.label}
            hint={f.hint}
            error={err(f.name)}
            inputMode={f.name === "budgetDuration" ? "text" : "decimal"}
            {...form.register(f.name)}
          />
        ))}
        <div className="sm:col-span-2">
          <TextField
            id={`${idp}-models`}
            label="Allowed models"
            hint="Comma-separated model names; empty: all models"
            error={err("models")}
            placeholder="gpt-4o, claude-3-5-sonnet"
            {...form.register("models")}
          />
          {models.length > 0 ? (
            <ul aria-label="Models" className="mt-2 flex flex-wrap gap-1">
              {models.map((m) => (
                <li key={m} className="max-w-full min-w-0">
                  <Badge
                    variant="outline"
                    className="block max-w-full truncate font-mono"
                    title={m}
                  >
                    {m}
                  </Badge>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      </fieldset>
      <fieldset className="grid gap-3 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-medium">
          Keys (defaults for a key created without its own; empty: none)
        </legend>
        {keyFields.map((f) => (
          <TextField
            key={f.name}
            id={`${idp}-${f.name}`}
            label={f.label}
            hint={f.hint}
            error={err(f.name)}
            inputMode={f.name === "keyBudgetDuration" ? "text" : "decimal"}
            {...form.register(f.name)}
          />
        ))}
      </fieldset>
      <label className="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          className="accent-[var(--color-primary)]"
          {...form.register("isActive")}
        />
        Active (can be attached to teams)
      </label>
      <FormFailure failure={apiErrors.failure} />
      <FormActions
        submitLabel={submitLabel}
        pending={isSubmitting}
        {...(onCancel ? { onCancel } : {})}
      />
    </form>
  );
}
