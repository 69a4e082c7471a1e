/**
 * "Add member" for a team or an organization: choose the person (search, or their email
 * for those who may not list users; see user-choice.tsx) and a role, then `add`.
 */
import { zodResolver } from "@hookform/resolvers/zod";
import type { ReactNode } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { Field } from "@/components/field.tsx";
import { FormDialog } from "@/components/form-dialog.tsx";
import { OptionSelect, type SelectOption } from "@/components/option-select.tsx";
import { Button } from "@/components/ui/button.tsx";
import {
  emptyUserChoice,
  refineUserChoice,
  useResolveUserChoice,
  UserChoiceField,
  ZUserChoice,
} from "@/components/user-choice.tsx";
import { useFormDialog } from "@/lib/forms.ts";

const ZMember = ZUserChoice.extend({ role: z.string().min(1) });
type MemberForm = z.infer<typeof ZMember>;

export function MemberFormDialog<Role extends string>({
  id,
  title,
  description,
  searching,
  organizationId,
  memberIds,
  roles,
  defaultRole,
  add,
  added,
}: {
  /** Prefix of the inputs' ids. */
  id: string;
  title: string;
  description: ReactNode;
  searching: boolean;
  organizationId?: string | null;
  memberIds?: ReadonlySet<string>;
  roles: ReadonlyArray<SelectOption & { value: Role }>;
  defaultRole: Role;
  add: (userId: string, role: Role) => Promise<unknown>;
  /** The toast once added. */
  added: (name: string, role: Role) => string;
}) {
  const resolveUser = useResolveUserChoice();
  const form = useForm<MemberForm>({
    resolver: zodResolver(ZMember.superRefine(refineUserChoice(searching))),
    defaultValues: { ...emptyUserChoice, role: defaultRole },
  });
  const dialog = useFormDialog(form);

  const onSubmit = form.handleSubmit(async (values) => {
    // The select offers only `roles`: its value is one of them.
    const role = values.role as Role;
    try {
      const user = await resolveUser(values, (message) => form.setError("email", { message }));
      if (!user) return;
      await add(user.id, role);
      toast.success(added(user.label, role));
      dialog.close();
    } catch (error) {
      dialog.onError(error);
    }
  });

  return (
    <FormDialog
      state={dialog}
      trigger={<Button size="sm">Add member</Button>}
      title={title}
      description={description}
      onSubmit={onSubmit}
      submitLabel="Add member"
      pendingLabel="Adding…"
      pending={form.formState.isSubmitting}
    >
      <UserChoiceField
        id={`${id}-user`}
        searching={searching}
        organizationId={organizationId ?? null}
        {...(memberIds ? { memberIds } : {})}
        control={form.control}
        register={form.register}
        errors={form.formState.errors}
        enabled={dialog.open}
      />
      <Field id={`${id}-role`} label="Role">
        <OptionSelect id={`${id}-role`} control={form.control} name="role" options={roles} />
      </Field>
    </FormDialog>
  );
}
