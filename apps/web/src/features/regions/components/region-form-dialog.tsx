/**
 * Create or edit a region. The LiteLLM master key is a secret the API never returns: on
 * edit the field starts empty and is sent only when a new key is typed (rotation).
 */
import { trpc } from "@/lib/trpc.ts";
import { useMutation } from "@tanstack/react-query";
import { ZLitellmBaseUrl, ZLitellmMasterKey, ZRegionName } from "@gatehouse/core";
import { zodResolver } from "@hookform/resolvers/zod";
import type { ReactNode } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { CheckboxField, TextField } from "@/components/field.tsx";
import { FormDialog } from "@/components/form-dialog.tsx";
import { registerField, useFormDialog } from "@/lib/forms.ts";
import { type Region } from "../api/regions-queries.ts";

const ZRegionForm = z.object({
  name: ZRegionName,
  litellmBaseUrl: ZLitellmBaseUrl,
  litellmMasterKey: z.union([z.literal(""), ZLitellmMasterKey]),
  isActive: z.boolean(),
});
const ZNewRegionForm = ZRegionForm.refine((v) => v.litellmMasterKey !== "", {
  path: ["litellmMasterKey"],
  message: "Enter the master key",
});
type RegionForm = z.infer<typeof ZRegionForm>;

const toForm = (region: Region | undefined): RegionForm => ({
  name: region?.name ?? "",
  litellmBaseUrl: region?.litellmBaseUrl ?? "",
  litellmMasterKey: "",
  isActive: region?.isActive ?? true,
});

export function RegionFormDialog({ region, trigger }: { region?: Region; trigger: ReactNode }) {
  const create = useMutation(trpc.regions.create.mutationOptions());
  const update = useMutation(trpc.regions.update.mutationOptions());
  const mutation = region ? update : create;
  const form = useForm<RegionForm>({
    resolver: zodResolver(region ? ZRegionForm : ZNewRegionForm),
    defaultValues: toForm(region),
  });
  const dialog = useFormDialog(form, { initial: () => toForm(region) });
  const idp = region ? `region-${region.id}` : "new-region";

  const onSubmit = form.handleSubmit((v) => {
    const handlers = {
      onSuccess: () => {
        toast.success(`Region “${v.name}” saved`);
        dialog.close();
      },
      onError: dialog.onError,
    };
    if (region) {
      update.mutate(
        {
          regionId: region.id,
          ...(v.name !== region.name ? { name: v.name } : {}),
          ...(v.litellmBaseUrl !== region.litellmBaseUrl
            ? { litellmBaseUrl: v.litellmBaseUrl }
            : {}),
          ...(v.litellmMasterKey ? { litellmMasterKey: v.litellmMasterKey } : {}),
          ...(v.isActive !== region.isActive ? { isActive: v.isActive } : {}),
        },
        handlers,
      );
    } else {
      create.mutate(v, handlers);
    }
  });

  return (
    <FormDialog
      state={dialog}
      trigger={trigger}
      title={region ? `Edit ${region.name}` : "New region"}
      description="Each region is one LiteLLM proxy. Keys of an inactive region wait to sync until it is active again."
      onSubmit={onSubmit}
      submitLabel="Save region"
      pending={mutation.isPending}
    >
      <TextField
        id={`${idp}-name`}
        label="Name"
        hint="Part of the LiteLLM team id; a region with keys cannot be renamed."
        {...registerField(form, "name")}
      />
      <TextField
        id={`${idp}-url`}
        label="LiteLLM base URL"
        placeholder="https://litellm.example.com"
        {...registerField(form, "litellmBaseUrl")}
      />
      <TextField
        id={`${idp}-key`}
        label={region ? "New master key" : "Master key"}
        hint={
          region
            ? "Leave empty to keep the current key. It is never shown again."
            : "Stored for the worker; never shown again."
        }
        type="password"
        autoComplete="off"
        {...registerField(form, "litellmMasterKey")}
      />
      <CheckboxField label="Active" {...form.register("isActive")} />
    </FormDialog>
  );
}
