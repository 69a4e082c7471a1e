/**
 * Create or edit an identity provider. The client secret is write-only: on create it is
 * required; on edit the box starts empty ("a secret is set") and is sent only to replace it.
 * Organization admins create providers for their own organizations; system admins may also
 * create a global one. The organization of an existing provider does not change.
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { CheckboxField, Field, TextField } from "@/components/field.tsx";
import { FormDialog } from "@/components/form-dialog.tsx";
import { OptionSelect } from "@/components/option-select.tsx";
import { useAccess } from "@/lib/access.ts";
import { pluralize } from "@/lib/format.ts";
import { registerField, useFormDialog } from "@/lib/forms.ts";
import { trpc } from "@/lib/trpc.ts";
import {
  orgChoicesQueryOptions,
  type IdentityProvider,
} from "../api/identity-providers-queries.ts";

/**
 * How a provider is named in buttons and messages: its email domains (each belongs to one
 * provider, where issuers repeat, e.g. every Entra tenant's host).
 */
export function providerLabel(provider: Pick<IdentityProvider, "domains">): string {
  const [first = "", ...rest] = provider.domains;
  return rest.length > 0 ? `${first} and ${pluralize(rest.length, "more domain")}` : first;
}

const GLOBAL = "global";

/** The domains box: "example.com, example.org" (commas or spaces) as the API's list. */
export const domainList = (text: string): string[] =>
  text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((d) => d.toLowerCase().replace(/^@/, ""));

const ZDomains = z
  .string()
  .trim()
  .min(1, "Enter at least one email domain")
  .refine(
    (text) => domainList(text).every((d) => /^([a-z0-9-]+\.)+[a-z]{2,63}$/.test(d)),
    "Enter domains like example.com, separated by commas",
  );

const ZProviderForm = z.object({
  scope: z.string().min(1, "Choose who it serves"),
  issuer: z.string().trim().url("Enter the issuer URL, e.g. https://login.example.com/realms/acme"),
  clientId: z.string().trim().min(1, "Enter the client ID").max(500),
  clientSecret: z.string().max(2000),
  domains: ZDomains,
  jitProvisioning: z.boolean(),
  groupsClaim: z.string().trim().min(1, "Enter the claim name (usually groups)").max(200),
});
const ZNewProviderForm = ZProviderForm.refine((v) => v.clientSecret.length > 0, {
  path: ["clientSecret"],
  message: "Enter the client secret",
});
type ProviderForm = z.infer<typeof ZProviderForm>;

const toForm = (provider: IdentityProvider | undefined, defaultScope: string): ProviderForm => ({
  scope: provider ? (provider.organizationId ?? GLOBAL) : defaultScope,
  issuer: provider?.issuer ?? "",
  clientId: provider?.clientId ?? "",
  clientSecret: "",
  domains: provider?.domains.join(", ") ?? "",
  jitProvisioning: provider?.jitProvisioning ?? true,
  groupsClaim: provider?.groupsClaim ?? "groups",
});

export function ProviderFormDialog({
  provider,
  trigger,
}: {
  provider?: IdentityProvider;
  trigger: ReactNode;
}) {
  const access = useAccess();
  const orgs = useQuery({ ...orgChoicesQueryOptions(), enabled: access.isAdmin && !provider });
  const scopeOptions = access.isAdmin
    ? [
        { value: GLOBAL, label: "Every organization (global)" },
        ...(orgs.data?.items ?? []).map((o) => ({ value: o.id, label: o.name })),
      ]
    : access.organizations
        .filter((o) => o.role === "ORG_ADMIN")
        .map((o) => ({ value: o.id, label: o.name }));
  const defaultScope = access.isAdmin ? GLOBAL : (scopeOptions[0]?.value ?? "");

  const create = useMutation(trpc.identityProviders.create.mutationOptions());
  const update = useMutation(trpc.identityProviders.update.mutationOptions());
  const mutation = provider ? update : create;
  const form = useForm<ProviderForm>({
    resolver: zodResolver(provider ? ZProviderForm : ZNewProviderForm),
    defaultValues: toForm(provider, defaultScope),
  });
  const dialog = useFormDialog(form, { initial: () => toForm(provider, defaultScope) });
  const idp = provider ? `idp-${provider.id}` : "new-idp";

  const onSubmit = form.handleSubmit((v) => {
    const handlers = {
      onSuccess: () => {
        toast.success(
          `Identity provider ${providerLabel({ domains: domainList(v.domains) })} saved`,
        );
        dialog.close();
      },
      onError: dialog.onError,
    };
    if (provider) {
      update.mutate(
        {
          providerId: provider.id,
          issuer: v.issuer,
          clientId: v.clientId,
          domains: domainList(v.domains),
          jitProvisioning: v.jitProvisioning,
          groupsClaim: v.groupsClaim,
          ...(v.clientSecret ? { clientSecret: v.clientSecret } : {}),
        },
        handlers,
      );
    } else {
      create.mutate(
        {
          ...(v.scope !== GLOBAL ? { organizationId: v.scope } : {}),
          issuer: v.issuer,
          clientId: v.clientId,
          clientSecret: v.clientSecret,
          domains: domainList(v.domains),
          jitProvisioning: v.jitProvisioning,
          groupsClaim: v.groupsClaim,
        },
        handlers,
      );
    }
  });

  return (
    <FormDialog
      state={dialog}
      trigger={trigger}
      title={provider ? `Edit ${providerLabel(provider)}` : "New identity provider"}
      description="An OpenID Connect provider: people whose email is in one of its domains sign in with it."
      onSubmit={onSubmit}
      submitLabel="Save identity provider"
      pending={mutation.isPending}
    >
      {provider ? (
        <p className="text-sm">
          Serves: <strong>{provider.organizationName ?? "every organization (global)"}</strong>
        </p>
      ) : (
        <Field id={`${idp}-scope`} label="Serves" error={form.formState.errors.scope?.message}>
          <OptionSelect
            id={`${idp}-scope`}
            control={form.control}
            name="scope"
            options={scopeOptions}
            placeholder="Choose an organization"
          />
        </Field>
      )}
      <TextField
        id={`${idp}-issuer`}
        label="Issuer URL"
        placeholder="https://login.example.com/realms/acme"
        hint="Exactly as the provider's /.well-known/openid-configuration spells it."
        {...registerField(form, "issuer")}
      />
      <TextField
        id={`${idp}-client-id`}
        label="Client ID"
        autoComplete="off"
        {...registerField(form, "clientId")}
      />
      <TextField
        id={`${idp}-client-secret`}
        label={provider ? "Replace client secret" : "Client secret"}
        hint={
          provider
            ? "A secret is set. Leave empty to keep it; it is never shown again."
            : "Stored sealed; never shown again."
        }
        type="password"
        autoComplete="off"
        {...registerField(form, "clientSecret")}
      />
      <TextField
        id={`${idp}-domains`}
        label="Email domains"
        placeholder="example.com, example.org"
        hint="People with these email domains are sent to this provider. A domain has one provider."
        {...registerField(form, "domains")}
      />
      <TextField
        id={`${idp}-groups-claim`}
        label="Groups claim"
        hint="The ID token claim that lists the person's groups (for group rules)."
        {...registerField(form, "groupsClaim")}
      />
      <CheckboxField
        label="Create the account at the first sign-in (just-in-time provisioning)"
        {...form.register("jitProvisioning")}
      />
    </FormDialog>
  );
}
