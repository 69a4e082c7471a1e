/** products.create: name, renewal period, active flag and optional limits. */
import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { Field, fieldAria } from "@/components/field.tsx";
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
import { errorInfo } from "@/lib/errors.ts";
import { useCreateProduct } from "../api/products-queries.ts";

/** Empty inputs mean "no limit"; numbers typed in text boxes arrive as strings. */
const optionalNumber = (max: number, integer = true) =>
  z
    .string()
    .trim()
    .refine((v) => v === "" || (Number.isFinite(Number(v)) && Number(v) >= 0 && Number(v) <= max && (!integer || Number.isInteger(Number(v)))), {
      message: integer ? `A whole number from 0 to ${max.toLocaleString()}` : `A number from 0 to ${max.toLocaleString()}`,
    });

const ZProductForm = z.object({
  name: z.string().trim().min(1, "Enter a name").max(200),
  renewalPeriodDays: z
    .string()
    .trim()
    .refine((v) => Number.isInteger(Number(v)) && Number(v) >= 1 && Number(v) <= 3660, { message: "1 to 3660 days" }),
  isActive: z.boolean(),
  maxKeys: optionalNumber(1_000_000),
  maxBudgetUsd: optionalNumber(1e9, false),
  rpmLimit: optionalNumber(1e9),
  tpmLimit: optionalNumber(1e12),
});
type ProductForm = z.infer<typeof ZProductForm>;

const limitFields = [
  { name: "maxKeys", label: "Max keys" },
  { name: "maxBudgetUsd", label: "Max budget (USD)" },
  { name: "rpmLimit", label: "Requests per minute" },
  { name: "tpmLimit", label: "Tokens per minute" },
] as const;

export function CreateProductDialog() {
  const [open, setOpen] = useState(false);
  const create = useCreateProduct();
  const form = useForm<ProductForm>({
    resolver: zodResolver(ZProductForm),
    defaultValues: { name: "", renewalPeriodDays: "30", isActive: true, maxKeys: "", maxBudgetUsd: "", rpmLimit: "", tpmLimit: "" },
  });
  const { errors } = form.formState;
  const failure = create.error ? errorInfo(create.error) : null;

  const onSubmit = form.handleSubmit((v) => {
    const limits: Record<string, number> = {};
    for (const { name } of limitFields) if (v[name] !== "") limits[name] = Number(v[name]);
    create.mutate(
      { name: v.name, renewalPeriodDays: Number(v.renewalPeriodDays), isActive: v.isActive, limits },
      {
        onSuccess: (product) => {
          toast.success(`Product “${product.name}” created`);
          setOpen(false);
          form.reset();
        },
      },
    );
  });

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) create.reset();
      }}
    >
      <DialogTrigger asChild>
        <Button>New product</Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>New product</DialogTitle>
          <DialogDescription>Products are attached to teams from the team page.</DialogDescription>
        </DialogHeader>
        <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
          <Field id="product-name" label="Name" error={errors.name?.message}>
            <Input {...fieldAria("product-name", errors.name?.message)} {...form.register("name")} />
          </Field>
          <Field id="product-renewal" label="Renewal period (days)" error={errors.renewalPeriodDays?.message}>
            <Input {...fieldAria("product-renewal", errors.renewalPeriodDays?.message)} inputMode="numeric" {...form.register("renewalPeriodDays")} />
          </Field>
          <fieldset className="grid gap-3 sm:grid-cols-2">
            <legend className="mb-2 text-sm font-medium">Limits (empty: none)</legend>
            {limitFields.map((f) => (
              <Field key={f.name} id={`product-${f.name}`} label={f.label} error={errors[f.name]?.message}>
                <Input {...fieldAria(`product-${f.name}`, errors[f.name]?.message)} inputMode="decimal" {...form.register(f.name)} />
              </Field>
            ))}
          </fieldset>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" className="accent-[var(--color-primary)]" {...form.register("isActive")} />
            Active (can be attached to teams)
          </label>
          {failure ? (
            <p role="alert" className="text-sm text-destructive">
              {failure.message}
              {failure.requestId ? <span className="block text-xs text-muted-foreground">Request ID: {failure.requestId}</span> : null}
            </p>
          ) : null}
          <DialogFooter>
            <Button variant="outline" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={create.isPending}>
              {create.isPending ? "Creating…" : "Create product"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
