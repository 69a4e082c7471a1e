/**
 * Create or edit a region. The LiteLLM master key is a secret the API never returns: on
 * edit the field starts empty and is sent only when a new key is typed (rotation).
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { useState, type ReactNode } from "react";
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
import { useCreateRegion, useUpdateRegion, type Region } from "../api/regions-queries.ts";

const ZRegionForm = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Enter a name")
    .max(60)
    .regex(/^[A-Za-z0-9][A-Za-z0-9 _-]*$/, "Letters, digits, space, _ and - only"),
  litellmBaseUrl: z.url({ protocol: /^https?$/, error: "An http(s) URL" }).max(500),
  litellmMasterKey: z.union([z.literal(""), z.string().min(8, "At least 8 characters").max(500)]),
  isActive: z.boolean(),
});
type RegionForm = z.infer<typeof ZRegionForm>;

export function RegionFormDialog({ region, trigger }: { region?: Region; trigger: ReactNode }) {
  const [open, setOpen] = useState(false);
  const create = useCreateRegion();
  const update = useUpdateRegion();
  const mutation = region ? update : create;
  const form = useForm<RegionForm>({
    resolver: zodResolver(
      region ? ZRegionForm : ZRegionForm.refine((v) => v.litellmMasterKey !== "", { path: ["litellmMasterKey"], message: "Enter the master key" }),
    ),
    defaultValues: {
      name: region?.name ?? "",
      litellmBaseUrl: region?.litellmBaseUrl ?? "",
      litellmMasterKey: "",
      isActive: region?.isActive ?? true,
    },
  });
  const { errors } = form.formState;
  const failure = mutation.error ? errorInfo(mutation.error) : null;
  const idp = region ? `region-${region.id}` : "new-region";

  const onSubmit = form.handleSubmit((v) => {
    const done = () => {
      toast.success(`Region “${v.name}” saved`);
      setOpen(false);
      form.reset({ ...v, litellmMasterKey: "" });
    };
    if (region) {
      update.mutate(
        {
          regionId: region.id,
          ...(v.name !== region.name ? { name: v.name } : {}),
          ...(v.litellmBaseUrl !== region.litellmBaseUrl ? { litellmBaseUrl: v.litellmBaseUrl } : {}),
          ...(v.litellmMasterKey ? { litellmMasterKey: v.litellmMasterKey } : {}),
          ...(v.isActive !== region.isActive ? { isActive: v.isActive } : {}),
        },
        { onSuccess: done },
      );
    } else {
      create.mutate(v, { onSuccess: done });
    }
  });

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) mutation.reset();
      }}
    >
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{region ? `Edit ${region.name}` : "New region"}</DialogTitle>
          <DialogDescription>Each region is one LiteLLM proxy. Keys of an inactive region wait to sync until it is active again.</DialogDescription>
        </DialogHeader>
        <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
          <Field id={`${idp}-name`} label="Name" hint="Part of the LiteLLM team id; a region with keys cannot be renamed." error={errors.name?.message}>
            <Input {...fieldAria(`${idp}-name`, errors.name?.message, true)} {...form.register("name")} />
          </Field>
          <Field id={`${idp}-url`} label="LiteLLM base URL" error={errors.litellmBaseUrl?.message}>
            <Input {...fieldAria(`${idp}-url`, errors.litellmBaseUrl?.message)} placeholder="https://litellm.example.com" {...form.register("litellmBaseUrl")} />
          </Field>
          <Field
            id={`${idp}-key`}
            label={region ? "New master key" : "Master key"}
            hint={region ? "Leave empty to keep the current key. It is never shown again." : "Stored for the worker; never shown again."}
            error={errors.litellmMasterKey?.message}
          >
            <Input
              {...fieldAria(`${idp}-key`, errors.litellmMasterKey?.message, true)}
              type="password"
              autoComplete="off"
              {...form.register("litellmMasterKey")}
            />
          </Field>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" className="accent-[var(--color-primary)]" {...form.register("isActive")} />
            Active
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
            <Button type="submit" disabled={mutation.isPending}>
              {mutation.isPending ? "Saving…" : "Save region"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
