/** teams.create: admins anywhere (or without an organization), org admins inside theirs. */
import { ZName } from "@gatehouse/core";
import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery, useMutation } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { Field, fieldAria, TextField } from "@/components/field.tsx";
import { FormDialog } from "@/components/form-dialog.tsx";
import { OptionSelect } from "@/components/option-select.tsx";
import { Button } from "@/components/ui/button.tsx";
import { useAccess } from "@/lib/access.ts";
import { registerField, useFormDialog } from "@/lib/forms.ts";
import { trpc } from "@/lib/trpc.ts";

const NONE = "__none__";
const ZCreateTeam = z.object({ name: ZName, organizationId: z.string() });
type CreateTeamForm = z.infer<typeof ZCreateTeam>;

export function CreateTeamDialog() {
  const access = useAccess();
  const create = useMutation(trpc.teams.create.mutationOptions());
  const navigate = useNavigate();
  const adminOrgs = access.organizations.filter((o) => o.role === "ORG_ADMIN");
  const form = useForm<CreateTeamForm>({
    resolver: zodResolver(ZCreateTeam),
    defaultValues: { name: "", organizationId: access.isAdmin ? NONE : (adminOrgs[0]?.id ?? NONE) },
  });
  const dialog = useFormDialog(form);
  // Admins may create in any organization, not only those they belong to.
  const allOrgs = useQuery({
    ...trpc.orgs.list.queryOptions({ page: 1, pageSize: 100 }),
    enabled: dialog.open && access.isAdmin,
  });
  const orgOptions = [
    ...(access.isAdmin ? [{ value: NONE, label: "No organization" }] : []),
    ...(access.isAdmin ? (allOrgs.data?.items ?? []) : adminOrgs).map((o) => ({
      value: o.id,
      label: o.name,
    })),
  ];
  const { errors } = form.formState;
  if (!access.isAdmin && adminOrgs.length === 0) return null;

  const onSubmit = form.handleSubmit((values) => {
    create.mutate(
      {
        name: values.name,
        organizationId: values.organizationId === NONE ? null : values.organizationId,
      },
      {
        onSuccess: (team) => {
          toast.success(`Team “${team.name}” created`);
          dialog.close();
          void navigate({ to: "/teams/$teamId", params: { teamId: team.id } });
        },
        onError: dialog.onError,
      },
    );
  });

  return (
    <FormDialog
      state={dialog}
      trigger={<Button>New team</Button>}
      title="New team"
      description="Teams own API keys and members. The name does not need to be unique."
      onSubmit={onSubmit}
      submitLabel="Create team"
      pendingLabel="Creating…"
      pending={create.isPending}
    >
      <TextField id="team-name" label="Name" {...registerField(form, "name")} autoFocus />
      <Field id="team-org" label="Organization" error={errors.organizationId?.message}>
        <OptionSelect
          {...fieldAria("team-org", errors.organizationId?.message)}
          control={form.control}
          name="organizationId"
          options={orgOptions}
        />
      </Field>
    </FormDialog>
  );
}
