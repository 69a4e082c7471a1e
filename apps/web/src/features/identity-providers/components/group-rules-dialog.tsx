/**
 * A provider's group rules: each maps a value of the groups claim to an organization
 * membership (and role) and, optionally, a team membership (and team role). Saved as a whole
 * list (identityProviders.setGroupRules); at every sign-in the memberships the rules made are
 * brought in line with the person's groups (added, changed, removed).
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import {
  useFieldArray,
  useForm,
  useWatch,
  type Control,
  type UseFormReturn,
} from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { Field, TextField } from "@/components/field.tsx";
import { FormDialog } from "@/components/form-dialog.tsx";
import { OptionSelect } from "@/components/option-select.tsx";
import { Button } from "@/components/ui/button.tsx";
import { useAccess } from "@/lib/access.ts";
import { teamRoleOptions } from "@/lib/format.ts";
import { registerField, useFormDialog } from "@/lib/forms.ts";
import { trpc } from "@/lib/trpc.ts";
import {
  orgChoicesQueryOptions,
  orgTeamsQueryOptions,
  type IdentityProvider,
} from "../api/identity-providers-queries.ts";
import { providerLabel } from "./provider-form-dialog.tsx";

const NO_TEAM = "none";

const ZRule = z.object({
  group: z.string().trim().min(1, "Enter the group as the claim spells it").max(500),
  organizationId: z.string().min(1, "Choose an organization"),
  orgRole: z.enum(["MEMBER", "ORG_ADMIN"]),
  teamId: z.string(),
  teamRole: z.enum(["ADMIN", "KEY_CREATOR", "MEMBER", "READ_ONLY"]),
});
const ZRulesForm = z.object({ rules: z.array(ZRule).max(200) });
type RulesForm = z.infer<typeof ZRulesForm>;
type Rule = RulesForm["rules"][number];

const orgRoleOptions = [
  { value: "MEMBER", label: "Member" },
  { value: "ORG_ADMIN", label: "Organization admin" },
];

const toForm = (provider: IdentityProvider): RulesForm => ({
  rules: provider.groupRules.map((r) => ({
    group: r.group,
    organizationId: r.organizationId,
    orgRole: r.orgRole ?? "MEMBER",
    teamId: r.teamId ?? NO_TEAM,
    teamRole: r.teamRole ?? "MEMBER",
  })),
});

const emptyRule = (provider: IdentityProvider): Rule => ({
  group: "",
  organizationId: provider.organizationId ?? "",
  orgRole: "MEMBER",
  teamId: NO_TEAM,
  teamRole: "MEMBER",
});

export function GroupRulesDialog({
  provider,
  trigger,
}: {
  provider: IdentityProvider;
  trigger: ReactNode;
}) {
  const save = useMutation(trpc.identityProviders.setGroupRules.mutationOptions());
  const form = useForm<RulesForm>({
    resolver: zodResolver(ZRulesForm),
    defaultValues: toForm(provider),
  });
  const dialog = useFormDialog(form, { initial: () => toForm(provider) });
  const rules = useFieldArray({ control: form.control, name: "rules" });
  const label = providerLabel(provider);

  const onSubmit = form.handleSubmit((v) => {
    save.mutate(
      {
        providerId: provider.id,
        rules: v.rules.map((r) => ({
          group: r.group,
          organizationId: r.organizationId,
          orgRole: r.orgRole,
          ...(r.teamId !== NO_TEAM ? { teamId: r.teamId, teamRole: r.teamRole } : {}),
        })),
      },
      {
        onSuccess: () => {
          toast.success(`Group rules of ${label} saved`);
          dialog.close();
        },
        onError: dialog.onError,
      },
    );
  });

  return (
    <FormDialog
      state={dialog}
      trigger={trigger}
      title={`Group rules of ${label}`}
      description={`Each rule gives the people in a group (the “${provider.groupsClaim}” claim) a membership. At each sign-in, memberships made by these rules follow the groups; memberships made by hand are left alone.`}
      onSubmit={onSubmit}
      submitLabel="Save rules"
      pending={save.isPending}
      contentClassName="sm:max-w-3xl"
    >
      {rules.fields.length === 0 ? (
        <p className="text-sm text-muted-foreground">No rules: sign-ins change no membership.</p>
      ) : (
        <ol className="flex flex-col gap-4" aria-label="Rules">
          {rules.fields.map((field, index) => (
            <RuleRow
              key={field.id}
              index={index}
              provider={provider}
              form={form}
              onRemove={() => rules.remove(index)}
            />
          ))}
        </ol>
      )}
      <div>
        <Button type="button" variant="outline" onClick={() => rules.append(emptyRule(provider))}>
          Add rule
        </Button>
      </div>
    </FormDialog>
  );
}

function RuleRow({
  index,
  provider,
  form,
  onRemove,
}: {
  index: number;
  provider: IdentityProvider;
  form: UseFormReturn<RulesForm>;
  onRemove: () => void;
}) {
  const access = useAccess();
  const id = `rule-${provider.id}-${index}`;
  const organizationId = useWatch({ control: form.control, name: `rules.${index}.organizationId` });
  const teamId = useWatch({ control: form.control, name: `rules.${index}.teamId` });
  const global = provider.organizationId === null;
  const orgs = useQuery({ ...orgChoicesQueryOptions(), enabled: global && access.isAdmin });
  const orgOptions = access.isAdmin
    ? (orgs.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))
    : access.organizations
        .filter((o) => o.role === "ORG_ADMIN")
        .map((o) => ({ value: o.id, label: o.name }));
  const teams = useQuery({
    ...orgTeamsQueryOptions(organizationId),
    enabled: organizationId !== "",
  });
  const teamOptions = [
    { value: NO_TEAM, label: "No team" },
    ...(teams.data?.items ?? []).map((t) => ({ value: t.id, label: t.name })),
  ];
  const errors = form.formState.errors.rules?.[index];
  const group = form.getValues(`rules.${index}.group`);

  return (
    <li className="grid gap-3 rounded-md border p-3 sm:grid-cols-2">
      <TextField
        id={`${id}-group`}
        label="Group"
        {...registerField(form, `rules.${index}.group`)}
      />
      {global ? (
        <Field id={`${id}-org`} label="Organization" error={errors?.organizationId?.message}>
          <OrgSelect id={`${id}-org`} control={form.control} index={index} options={orgOptions} />
        </Field>
      ) : (
        <p className="self-end text-sm">
          Organization: <strong>{provider.organizationName}</strong>
        </p>
      )}
      <Field id={`${id}-org-role`} label="Organization role">
        <OptionSelect
          id={`${id}-org-role`}
          control={form.control}
          name={`rules.${index}.orgRole`}
          options={orgRoleOptions}
        />
      </Field>
      <Field id={`${id}-team`} label="Team">
        <OptionSelect
          id={`${id}-team`}
          control={form.control}
          name={`rules.${index}.teamId`}
          options={teamOptions}
        />
      </Field>
      {teamId !== NO_TEAM ? (
        <Field id={`${id}-team-role`} label="Team role">
          <OptionSelect
            id={`${id}-team-role`}
            control={form.control}
            name={`rules.${index}.teamRole`}
            options={teamRoleOptions}
          />
        </Field>
      ) : null}
      <div className="flex items-end justify-end sm:col-span-2">
        <Button
          type="button"
          variant="ghost"
          size="sm"
          className="text-destructive"
          onClick={onRemove}
        >
          Remove rule<span className="sr-only"> {group || index + 1}</span>
        </Button>
      </div>
    </li>
  );
}

function OrgSelect({
  id,
  control,
  index,
  options,
}: {
  id: string;
  control: Control<RulesForm>;
  index: number;
  options: ReadonlyArray<{ value: string; label: string }>;
}) {
  return (
    <OptionSelect
      id={id}
      control={control}
      name={`rules.${index}.organizationId`}
      options={options}
      placeholder="Choose an organization"
    />
  );
}
