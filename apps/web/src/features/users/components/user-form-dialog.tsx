/**
 * Create a user, or edit one. Validation is core's (the API's own schemas: email, name, a
 * password of at least PASSWORD_MIN characters); the API validates again and its field
 * errors are shown on the fields.
 */
import { trpc } from "@/lib/trpc.ts";
import { useMutation } from "@tanstack/react-query";
import { PASSWORD_MIN, ZEmail, ZName, ZPassword } from "@gatehouse/core";
import { zodResolver } from "@hookform/resolvers/zod";
import type { ReactNode } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { CheckboxField, TextField } from "@/components/field.tsx";
import { FormDialog } from "@/components/form-dialog.tsx";
import { registerField, useFormDialog } from "@/lib/forms.ts";
import { type User } from "../api/users-queries.ts";

const ZUserForm = z.object({
  email: ZEmail,
  name: ZName,
  password: z.union([z.literal(""), ZPassword]),
  isSystemAdmin: z.boolean(),
  isActive: z.boolean(),
});
/** A new user needs a password; on edit an empty box keeps the current one. */
const ZNewUserForm = ZUserForm.refine((v) => v.password.length > 0, {
  path: ["password"],
  message: "Set a password",
});
type UserForm = z.input<typeof ZUserForm>;

const toForm = (user: User | undefined): UserForm => ({
  email: user?.email ?? "",
  name: user?.name ?? "",
  password: "",
  isSystemAdmin: user?.isSystemAdmin ?? false,
  isActive: user?.isActive ?? true,
});

export function UserFormDialog({ user, trigger }: { user?: User; trigger: ReactNode }) {
  const create = useMutation(trpc.users.create.mutationOptions());
  const update = useMutation(trpc.users.update.mutationOptions());
  const mutation = user ? update : create;
  const form = useForm<UserForm, unknown, z.output<typeof ZUserForm>>({
    resolver: zodResolver(user ? ZUserForm : ZNewUserForm),
    defaultValues: toForm(user),
  });
  const dialog = useFormDialog(form, { initial: () => toForm(user) });

  const onSubmit = form.handleSubmit((values) => {
    const done = (message: string) => {
      toast.success(message);
      dialog.close();
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
          ...(values.isSystemAdmin !== user.isSystemAdmin
            ? { isSystemAdmin: values.isSystemAdmin }
            : {}),
          ...(values.isActive !== user.isActive ? { isActive: values.isActive } : {}),
        },
        { onSuccess: () => done(`${values.name} updated`), onError: dialog.onError },
      );
    } else {
      const { isActive: _isActive, ...input } = values;
      create.mutate(input, {
        onSuccess: (created) => done(`${created.email} created`),
        onError: dialog.onError,
      });
    }
  });

  const idp = user ? `user-${user.id}` : "new-user";
  return (
    <FormDialog
      state={dialog}
      trigger={trigger}
      title={user ? `Edit ${user.name}` : "New user"}
      description={
        user
          ? "Changing the password or disabling the account ends the user's sessions."
          : "The user signs in with this email and password."
      }
      onSubmit={onSubmit}
      submitLabel={user ? "Save" : "Create user"}
      pending={mutation.isPending}
    >
      <TextField
        id={`${idp}-email`}
        label="Email"
        type="email"
        autoComplete="off"
        {...registerField(form, "email")}
      />
      <TextField
        id={`${idp}-name`}
        label="Name"
        autoComplete="off"
        {...registerField(form, "name")}
      />
      <TextField
        id={`${idp}-password`}
        label={user ? "New password" : "Password"}
        hint={
          user
            ? "Leave empty to keep the current password."
            : `At least ${PASSWORD_MIN} characters.`
        }
        type="password"
        autoComplete="new-password"
        {...registerField(form, "password")}
      />
      <CheckboxField label="System administrator" {...form.register("isSystemAdmin")} />
      {user ? <CheckboxField label="Active (can sign in)" {...form.register("isActive")} /> : null}
    </FormDialog>
  );
}
