/**
 * Create a user, or edit one. Validation mirrors the API's schemas (email, name, a
 * password of at least 12 characters); the API validates again and its field errors are
 * shown on the fields.
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { useState, type ReactNode } from "react";
import { useForm, type Path } from "react-hook-form";
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
import { useCreateUser, useUpdateUser, type User } from "../api/users-queries.ts";

const ZUserForm = z.object({
  email: z.email("Enter a valid email address").max(254),
  name: z.string().trim().min(1, "Enter a name").max(200),
  password: z.union([z.literal(""), z.string().min(12, "At least 12 characters").max(256)]),
  isSystemAdmin: z.boolean(),
  isActive: z.boolean(),
});
type UserForm = z.infer<typeof ZUserForm>;

export function UserFormDialog({ user, trigger }: { user?: User; trigger: ReactNode }) {
  const [open, setOpen] = useState(false);
  const create = useCreateUser();
  const update = useUpdateUser();
  const mutation = user ? update : create;
  const form = useForm<UserForm>({
    resolver: zodResolver(
      user ? ZUserForm : ZUserForm.refine((v) => v.password.length > 0, { path: ["password"], message: "Set a password" }),
    ),
    defaultValues: {
      email: user?.email ?? "",
      name: user?.name ?? "",
      password: "",
      isSystemAdmin: user?.isSystemAdmin ?? false,
      isActive: user?.isActive ?? true,
    },
  });
  const { errors } = form.formState;
  const failure = mutation.error ? errorInfo(mutation.error) : null;

  const applyFieldErrors = (error: unknown) => {
    const fields = errorInfo(error).fieldErrors ?? (errorInfo(error).details?.field ? { [String(errorInfo(error).details?.field)]: [errorInfo(error).message] } : null);
    for (const [field, messages] of Object.entries(fields ?? {})) {
      if (field in form.getValues()) form.setError(field as Path<UserForm>, { message: messages.join(", ") });
    }
  };

  const onSubmit = form.handleSubmit((values) => {
    const done = (message: string) => {
      toast.success(message);
      setOpen(false);
      form.reset(values);
    };
    if (user) {
      // Send only what changed: the API audits the changed fields, and refuses fields it
      // would not let this caller change.
      update.mutate(
        {
          userId: user.id,
          ...(values.name !== user.name ? { name: values.name } : {}),
          ...(values.email !== user.email ? { email: values.email } : {}),
          ...(values.password ? { password: values.password } : {}),
          ...(values.isSystemAdmin !== user.isSystemAdmin ? { isSystemAdmin: values.isSystemAdmin } : {}),
          ...(values.isActive !== user.isActive ? { isActive: values.isActive } : {}),
        },
        { onSuccess: () => done(`${values.name} updated`), onError: applyFieldErrors },
      );
    } else {
      create.mutate(
        { email: values.email, name: values.name, password: values.password, isSystemAdmin: values.isSystemAdmin },
        { onSuccess: (created) => done(`${created.email} created`), onError: applyFieldErrors },
      );
    }
  });

  const idp = user ? `user-${user.id}` : "new-user";
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
          <DialogTitle>{user ? `Edit ${user.name}` : "New user"}</DialogTitle>
          <DialogDescription>
            {user ? "Changing the password or disabling the account ends the user's sessions." : "The user signs in with this email and password."}
          </DialogDescription>
        </DialogHeader>
        <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
          <Field id={`${idp}-email`} label="Email" error={errors.email?.message}>
            <Input {...fieldAria(`${idp}-email`, errors.email?.message)} type="email" autoComplete="off" {...form.register("email")} />
          </Field>
          <Field id={`${idp}-name`} label="Name" error={errors.name?.message}>
            <Input {...fieldAria(`${idp}-name`, errors.name?.message)} autoComplete="off" {...form.register("name")} />
          </Field>
          <Field
            id={`${idp}-password`}
            label={user ? "New password" : "Password"}
            hint={user ? "Leave empty to keep the current password." : "At least 12 characters."}
            error={errors.password?.message}
          >
            <Input
              {...fieldAria(`${idp}-password`, errors.password?.message, true)}
              type="password"
              autoComplete="new-password"
              {...form.register("password")}
            />
          </Field>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" className="accent-[var(--color-primary)]" {...form.register("isSystemAdmin")} />
            System administrator
          </label>
          {user ? (
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" className="accent-[var(--color-primary)]" {...form.register("isActive")} />
              Active (can sign in)
            </label>
          ) : null}
          {failure && !failure.fieldErrors ? (
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
              {mutation.isPending ? "Saving…" : user ? "Save" : "Create user"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
