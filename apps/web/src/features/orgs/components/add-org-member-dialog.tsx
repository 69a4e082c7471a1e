/**
 * Adds a user to an organization with a role (adding a member again changes their role).
 * System admins search all users; an org admin, who may list only their own members,
 * types the person's email (users.lookup).
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { Field } from "@/components/field.tsx";
import { FormDialog } from "@/components/form-dialog.tsx";
import { OptionSelect } from "@/components/option-select.tsx";
import {
  emptyUserChoice,
  refineUserChoice,
  useResolveUserChoice,
  UserChoiceField,
  ZUserChoice,
} from "@/components/user-choice.tsx";
import { Button } from "@/components/ui/button.tsx";
import { useAccess } from "@/lib/access.ts";
import { useFormDialog } from "@/lib/forms.ts";
import { useAddOrgMember } from "../api/orgs-queries.ts";

const roleOptions = [
  { value: "MEMBER", label: "Member" },
  { value: "ORG_ADMIN", label: "Organization admin" },
] as const;
const ZOrgMember = ZUserChoice.extend({ role: z.enum(["MEMBER", "ORG_ADMIN"]) });
type OrgMemberForm = z.infer<typeof ZOrgMember>;

export function AddOrgMemberDialog({ organizationId }: { organizationId: string }) {
  const access = useAccess();
  const searching = access.isAdmin;
  const add = useAddOrgMember();
  const resolveUser = useResolveUserChoice();
  const form = useForm<OrgMemberForm>({
    resolver: zodResolver(ZOrgMember.superRefine(refineUserChoice(searching))),
    defaultValues: { ...emptyUserChoice, role: "MEMBER" },
  });
  const dialog = useFormDialog(form);

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const user = await resolveUser(values, (message) => form.setError("email", { message }));
      if (!user) return;
      await add.mutateAsync({ organizationId, userId: user.id, role: values.role });
      toast.success("Member saved");
      dialog.close();
    } catch (error) {
      dialog.onError(error);
    }
  });

  return (
    <FormDialog
      state={dialog}
      trigger={<Button size="sm">Add member</Button>}
      title="Add organization member"
      description="Adding someone who is already a member changes their role."
      onSubmit={onSubmit}
      submitLabel="Add member"
      pending={form.formState.isSubmitting}
    >
      <UserChoiceField
        id="org-member-user"
        searching={searching}
        control={form.control}
        register={form.register}
        errors={form.formState.errors}
        enabled={dialog.open}
      />
      <Field id="org-member-role" label="Role">
        <OptionSelect
          id="org-member-role"
          control={form.control}
          name="role"
          options={roleOptions}
        />
      </Field>
    </FormDialog>
  );
}
