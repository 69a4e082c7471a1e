/**
 * Identity providers (single sign-on): system admins see and manage all of them (global ones
 * serve every organization's domains); organization admins manage their organizations' own.
 * The redirect and back-channel logout URIs to register at the provider are shown on top.
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge.tsx";
import { RemoveButton, RowButton } from "@/components/cells.tsx";
import { column, dateColumn } from "@/components/columns.tsx";
import { ConfirmAction, useConfirmTarget } from "@/components/confirm-action.tsx";
import type { DataTableColumn } from "@/components/data-table.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { ListPage } from "@/components/list-page.tsx";
import { actionsColumn } from "@/components/query-table.tsx";
import { withAccess } from "@/components/require-access.tsx";
import { SectionCard } from "@/components/section-card.tsx";
import { Button } from "@/components/ui/button.tsx";
import { CardContent } from "@/components/ui/card.tsx";
import { can } from "@/lib/access.ts";
import { pluralize } from "@/lib/format.ts";
import { trpc } from "@/lib/trpc.ts";
import {
  identityProvidersQueryOptions,
  ssoEndpoints,
  type IdentityProvider,
} from "../api/identity-providers-queries.ts";
import { CopyField } from "./copy-field.tsx";
import { GroupRulesDialog } from "./group-rules-dialog.tsx";
import { ProviderFormDialog, providerLabel } from "./provider-form-dialog.tsx";

export const IdentityProvidersPage = withAccess(
  can.seeIdentityProviders,
  "identity providers",
  IdentityProvidersScreen,
);

function IdentityProvidersScreen() {
  const providers = useQuery(identityProvidersQueryOptions());
  const remove = useMutation(trpc.identityProviders.delete.mutationOptions());
  const removing = useConfirmTarget<IdentityProvider>();
  // The API knows GATEHOUSE_PUBLIC_URL; before the first provider exists, the browser's own
  // address is the best guess (the same when GATEHOUSE_PUBLIC_URL is set right).
  const endpoints = ssoEndpoints(
    providers.data?.[0]?.redirectUri.replace(/\/auth\/sso\/callback$/, "") ??
      window.location.origin,
  );

  const columns: Array<DataTableColumn<IdentityProvider>> = [
    column("issuer", "Issuer", (p) => (
      <code className="font-mono text-xs break-all">{p.issuer}</code>
    )),
    column("scope", "Serves", (p) => p.organizationName ?? "Every organization (global)"),
    column("domains", "Email domains", (p) => p.domains.join(", ")),
    column("jit", "New accounts", (p) =>
      p.jitProvisioning ? (
        <Badge variant="secondary">Created at first sign-in</Badge>
      ) : (
        "Existing accounts only"
      ),
    ),
    column("rules", "Group rules", (p) => (
      <GroupRulesDialog
        provider={p}
        trigger={
          <RowButton
            label={pluralize(p.groupRules.length, "rule")}
            name={`of ${providerLabel(p)}`}
          />
        }
      />
    )),
    dateColumn(),
    actionsColumn((p) => (
      <div className="flex justify-end gap-1">
        <ProviderFormDialog
          provider={p}
          trigger={<RowButton label="Edit" name={providerLabel(p)} />}
        />
        <RemoveButton label="Delete" name={providerLabel(p)} onClick={() => removing.ask(p)} />
      </div>
    )),
  ];

  return (
    <>
      <ListPage
        title="Identity providers"
        description="OpenID Connect providers people sign in with, by their email domain."
        actions={<ProviderFormDialog trigger={<Button>New identity provider</Button>} />}
        columns={columns}
        query={providers}
        columnClassNames={{ created: "hidden lg:table-cell", jit: "hidden md:table-cell" }}
        empty={
          <EmptyState
            title="No identity providers yet"
            description="Add your organization's OpenID Connect provider so people sign in with it."
          />
        }
      />
      <SectionCard
        id="sso-endpoints"
        title="Register these at your identity provider"
        className="mt-6"
      >
        <CardContent className="flex flex-col gap-4">
          <CopyField id="sso-redirect-uri" label="Redirect URI" value={endpoints.redirectUri} />
          <CopyField
            id="sso-backchannel-uri"
            label="Back-channel logout URI"
            value={endpoints.backchannelLogoutUri}
          />
          <p className="text-sm text-muted-foreground">
            A confidential web application using the authorization code flow, with the scopes
            openid, email and profile, and the groups claim in the ID token. The README has
            step-by-step guides for Keycloak, Microsoft Entra ID, Okta and Google Workspace.
          </p>
        </CardContent>
      </SectionCard>
      <ConfirmAction
        state={removing}
        title="Delete identity provider"
        description={(p) => (
          <p>
            Delete <strong>{providerLabel(p)}</strong>? People of {p.domains.join(", ")} can no
            longer sign in with it; memberships its group rules made stay until changed by hand.
          </p>
        )}
        confirmLabel="Delete"
        destructive
        run={(p) => remove.mutateAsync({ providerId: p.id })}
        done={(p) => `${providerLabel(p)} deleted`}
      />
    </>
  );
}
