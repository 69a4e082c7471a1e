/**
 * Adds a user to a team with a role. Those who may list users pick them with a server-side
 * search (users.list); a team admin types their email (users.lookup).
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
import { can, useAccess } from "@/lib/access.ts";
import { teamRoleLabel, teamRoleOptions, teamRoles } from "@/lib/format.ts";
import { useFormDialog } from "@/lib/forms.ts";
import { useAddTeamMember, type TeamMember } from "../api/teams-queries.ts";

const ZMember = ZUserChoice.extend({ role: z.enum(teamRoles) });
type MemberForm = z.infer<typeof ZMember>;

export function AddMemberDialog({
  teamId,
  organizationId,
  existing,
}: {
  teamId: string;
  organizationId: string | null;
  existing: TeamMember[];
}) {
  const access = useAccess();
  const searching = can.listUsersOf(access, organizationId);
  const add = useAddTeamMember();
  const resolveUser = useResolveUserChoice();
  const form = useForm<MemberForm>({
    resolver: zodResolver(ZMember.superRefine(refineUserChoice(searching))),
    defaultValues: { ...emptyUserChoice, role: "MEMBER" },
  });
  const dialog = useFormDialog(form);

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const user = await resolveUser(values, (message) => form.setError("email", { message }));
      if (!user) return;
      await add.mutateAsync({ teamId, userId: user.id, role: values.role });
      toast.success(`${user.label} added as ${teamRoleLabel[values.role]}`);
      dialog.close();
    } catch (error) {
      dialog.onError(error);
    }
  });

  return (
    <FormDialog
      state={dialog}
      trigger={<Button size="sm">Add member</Button>}
      title="Add member"
      description={
        !searching
          ? "Enter the email of someone in this team's organization."
          : access.isAdmin
            ? "Search all users by name or email."
            : "Search the members of this team's organization."
      }
      onSubmit={onSubmit}
      submitLabel="Add member"
      pendingLabel="Adding…"
      pending={form.formState.isSubmitting}
    >
      <UserChoiceField
        id="member-user"
        searching={searching}
        organizationId={access.isAdmin ? null : organizationId}
        memberIds={new Set(existing.map((m) => m.userId))}
        control={form.control}
        register={form.register}
        errors={form.formState.errors}
        enabled={dialog.open}
      />
      <Field id="member-role" label="Role">
        <OptionSelect
          id="member-role"
          control={form.control}
          name="role"
          options={teamRoleOptions}
        />
      </Field>
    </FormDialog>
  );
}
