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
import { useCreateOrg } from "../api/orgs-queries.ts";

const ZOrgForm = z.object({ name: z.string().trim().min(1, "Enter a name").max(200) });

export function CreateOrgDialog() {
  const [open, setOpen] = useState(false);
  const create = useCreateOrg();
  const form = useForm<z.infer<typeof ZOrgForm>>({ resolver: zodResolver(ZOrgForm), defaultValues: { name: "" } });
  const error = form.formState.errors.name?.message;
  const failure = create.error ? errorInfo(create.error) : null;
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) create.reset();
      }}
    >
      <DialogTrigger asChild>
        <Button>New organization</Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>New organization</DialogTitle>
          <DialogDescription>Organization names are unique.</DialogDescription>
        </DialogHeader>
        <form
          noValidate
          className="flex flex-col gap-4"
          onSubmit={form.handleSubmit((values) =>
            create.mutate(values, {
              onSuccess: (org) => {
                toast.success(`Organization “${org.name}” created`);
                setOpen(false);
                form.reset();
              },
            }),
          )}
        >
          <Field id="org-name" label="Name" error={error ?? (failure?.details?.field === "name" ? failure.message : undefined)}>
            <Input {...fieldAria("org-name", error)} autoFocus {...form.register("name")} />
          </Field>
          {failure && failure.details?.field !== "name" ? (
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
              {create.isPending ? "Creating…" : "Create"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
