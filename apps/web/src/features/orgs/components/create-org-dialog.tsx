/** orgs.create (system admins). A taken name comes back on the name field. */
import { trpc } from "@/lib/trpc.ts";
import { useMutation } from "@tanstack/react-query";
import { ZName } from "@gatehouse/core";
import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { TextField } from "@/components/field.tsx";
import { FormDialog } from "@/components/form-dialog.tsx";
import { Button } from "@/components/ui/button.tsx";
import { registerField, useFormDialog } from "@/lib/forms.ts";

const ZOrgForm = z.object({ name: ZName });

export function CreateOrgDialog() {
  const create = useMutation(trpc.orgs.create.mutationOptions());
  const form = useForm({ resolver: zodResolver(ZOrgForm), defaultValues: { name: "" } });
  const dialog = useFormDialog(form);
  return (
    <FormDialog
      state={dialog}
      trigger={<Button>New organization</Button>}
      title="New organization"
      description="Organization names are unique."
      onSubmit={form.handleSubmit((values) =>
        create.mutate(values, {
          onSuccess: (org) => {
            toast.success(`Organization “${org.name}” created`);
            dialog.close();
          },
          onError: dialog.onError,
        }),
      )}
      submitLabel="Create"
      pendingLabel="Creating…"
      pending={create.isPending}
    >
      <TextField id="org-name" label="Name" autoFocus {...registerField(form, "name")} />
    </FormDialog>
  );
}
