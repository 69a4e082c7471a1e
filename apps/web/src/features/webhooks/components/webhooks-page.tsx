/**
 * Webhook endpoints: an organization's (its admins; /organizations/$orgId/webhooks) or the
 * global ones (system admins; /webhooks, which also get operations events). Each endpoint:
 * its types and state (disabled after sustained failure, re-enabled here), "Send test
 * event", rotate its secret, edit, delete, and its delivery log below.
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import { Link, useParams } from "@tanstack/react-router";
import { useState } from "react";
import { toast } from "sonner";
import { ConfirmAction, useConfirmTarget } from "@/components/confirm-action.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { RequireAccess } from "@/components/require-access.tsx";
import { SectionCard } from "@/components/section-card.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { CardContent } from "@/components/ui/card.tsx";
import { can } from "@/lib/access.ts";
import { toastError } from "@/lib/errors.ts";
import { formatDateTime } from "@/lib/format.ts";
import { trpc } from "@/lib/trpc.ts";
import { webhooksQueryOptions, type Webhook } from "../api/webhooks-queries.ts";
import { DeliveryLog } from "./delivery-log.tsx";
import { RotateSecretDialog } from "./rotate-secret-dialog.tsx";
import { WebhookFormDialog } from "./webhook-form-dialog.tsx";

export function OrgWebhooksPage(): React.JSX.Element {
  const { orgId } = useParams({ from: "/_authed/organizations/$orgId/webhooks" });
  return (
    <RequireAccess allow={(a) => can.adminOrg(a, orgId)} what="this organization's webhooks">
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-muted-foreground">
        <Link to="/organizations/$orgId" params={{ orgId }} className="rounded hover:underline">
          Organization
        </Link>{" "}
        / <span aria-current="page">Webhooks</span>
      </nav>
      <WebhooksScreen organizationId={orgId} />
    </RequireAccess>
  );
}

export function GlobalWebhooksPage(): React.JSX.Element {
  return (
    <RequireAccess allow={(a) => a.isAdmin} what="global webhooks">
      <WebhooksScreen organizationId={null} />
    </RequireAccess>
  );
}

function WebhooksScreen({ organizationId }: { organizationId: string | null }) {
  const webhooks = useQuery(webhooksQueryOptions(organizationId));
  const sendTest = useMutation(trpc.webhooks.sendTest.mutationOptions());
  const update = useMutation(trpc.webhooks.update.mutationOptions());
  const remove = useMutation(trpc.webhooks.delete.mutationOptions());
  const removing = useConfirmTarget<Webhook>();
  const [selected, setSelected] = useState<string | null>(null);
  const items = webhooks.data ?? [];
  const shown = items.find((w) => w.id === selected) ?? items[0];

  const test = (w: Webhook) =>
    sendTest.mutate(
      { webhookId: w.id },
      {
        onSuccess: () => {
          toast.success("Test event queued");
          setSelected(w.id);
        },
        onError: toastError,
      },
    );
  const enable = (w: Webhook) =>
    update.mutate(
      { webhookId: w.id, enabled: true },
      { onSuccess: () => toast.success("Endpoint enabled"), onError: toastError },
    );

  return (
    <>
      <PageHeader
        title={organizationId ? "Webhooks" : "Global webhooks"}
        description={
          organizationId
            ? "Endpoints that receive this organization's events, signed per Standard Webhooks."
            : "Endpoints that receive every organization's events of their types, and the operations events."
        }
        actions={
          <WebhookFormDialog
            organizationId={organizationId}
            trigger={<Button>Add endpoint</Button>}
          />
        }
      />
      {webhooks.isLoading ? (
        <p className="text-sm text-muted-foreground">Loading…</p>
      ) : items.length === 0 ? (
        <EmptyState
          title="No webhook endpoints yet"
          description="Add one to receive budget, expiry and access events as signed HTTP POSTs."
        />
      ) : (
        <ul className="flex flex-col gap-3" aria-label="Webhook endpoints">
          {items.map((w) => (
            <li key={w.id} className="rounded-lg border p-4">
              <div className="flex flex-wrap items-start justify-between gap-2">
                <div className="min-w-0">
                  <p className="font-mono text-sm break-all">{w.url}</p>
                  {w.description ? (
                    <p className="text-sm text-muted-foreground">{w.description}</p>
                  ) : null}
                  <p className="mt-1 flex flex-wrap gap-1">
                    {w.eventTypes.map((t) => (
                      <Badge key={t} variant="outline" className="font-mono">
                        {t}
                      </Badge>
                    ))}
                  </p>
                  {w.enabled ? (
                    <Badge variant="secondary" className="mt-2">
                      Enabled
                    </Badge>
                  ) : (
                    <p className="mt-2 text-sm" role="status">
                      <Badge variant="destructive">Disabled</Badge>{" "}
                      {w.disabledAt ? `since ${formatDateTime(w.disabledAt)}` : ""}
                      {w.disabledReason ? `: ${w.disabledReason}` : ""}
                    </p>
                  )}
                  {w.previousSecretExpiresAt &&
                  new Date(w.previousSecretExpiresAt).getTime() > Date.now() ? (
                    <p className="text-xs text-muted-foreground">
                      The previous secret still signs until{" "}
                      {formatDateTime(w.previousSecretExpiresAt)}.
                    </p>
                  ) : null}
                </div>
                <div className="flex flex-wrap gap-1">
                  {w.enabled ? (
                    <Button size="sm" onClick={() => test(w)} disabled={sendTest.isPending}>
                      Send test event
                    </Button>
                  ) : (
                    <Button size="sm" onClick={() => enable(w)}>
                      Enable
                    </Button>
                  )}
                  <Button
                    size="sm"
                    variant="outline"
                    aria-pressed={shown?.id === w.id}
                    onClick={() => setSelected(w.id)}
                  >
                    Delivery log
                  </Button>
                  <WebhookFormDialog
                    organizationId={organizationId}
                    webhook={w}
                    trigger={
                      <Button size="sm" variant="outline" aria-label={`Edit ${w.url}`}>
                        Edit
                      </Button>
                    }
                  />
                  <RotateSecretDialog
                    webhook={w}
                    trigger={
                      <Button size="sm" variant="outline" aria-label={`Rotate secret of ${w.url}`}>
                        Rotate secret
                      </Button>
                    }
                  />
                  <Button
                    size="sm"
                    variant="outline"
                    aria-haspopup="dialog"
                    aria-label={`Delete ${w.url}`}
                    onClick={() => removing.ask(w)}
                  >
                    Delete
                  </Button>
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}
      {shown ? (
        <SectionCard
          id="webhook-delivery-log"
          title={`Delivery log: ${shown.url}`}
          className="mt-6"
        >
          <CardContent>
            <DeliveryLog webhook={shown} />
          </CardContent>
        </SectionCard>
      ) : null}
      <ConfirmAction
        state={removing}
        title="Delete webhook endpoint"
        description={(w) => (
          <p>
            Delete <strong>{w.url}</strong>? Its delivery log goes with it; events are no longer
            sent there.
          </p>
        )}
        confirmLabel="Delete"
        destructive
        run={(w) => remove.mutateAsync({ webhookId: w.id })}
        done={() => "Webhook endpoint deleted"}
      />
    </>
  );
}
