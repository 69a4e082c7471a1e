/**
 * Team settings (teams.update / teams.delete): rename and delete for system admins and the
 * organization's admins; the billing fields (always free, record a payment) for system
 * admins only, as the API allows. A team with keys cannot be deleted: its keys live on the
 * LiteLLM proxies too, and deleting the rows would orphan them there.
 */
import { trpc } from "@/lib/trpc.ts";
import { useMutation } from "@tanstack/react-query";
import { ZName } from "@gatehouse/core";
import { zodResolver } from "@hookform/resolvers/zod";
import { useNavigate } from "@tanstack/react-router";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { ConfirmAction, useConfirmTarget } from "@/components/confirm-action.tsx";
import { TextField } from "@/components/field.tsx";
import { Button } from "@/components/ui/button.tsx";
import { SectionCard } from "@/components/section-card.tsx";
import { CardContent } from "@/components/ui/card.tsx";
import { useAccess } from "@/lib/access.ts";
import { errorInfo, toastError } from "@/lib/errors.ts";
import { formatDateTime, pluralize } from "@/lib/format.ts";
import { placeApiFieldErrors, registerField } from "@/lib/forms.ts";
import { useDeleteTeam, type TeamDetail } from "../api/teams-queries.ts";
import { TeamRotationPolicy } from "./team-rotation-policy.tsx";

const ZRename = z.object({ name: ZName });
type RenameForm = z.infer<typeof ZRename>;

export function TeamSettingsSection({ team }: { team: TeamDetail }) {
  const access = useAccess();
  const update = useMutation(trpc.teams.update.mutationOptions());
  const remove = useDeleteTeam();
  const navigate = useNavigate();
  const deleting = useConfirmTarget<TeamDetail>();
  const freeing = useConfirmTarget<TeamDetail>();
  const form = useForm<RenameForm>({ resolver: zodResolver(ZRename), values: { name: team.name } });
  const { isDirty } = form.formState;
  const hasKeys = team.keysCount > 0;

  const rename = form.handleSubmit((v) =>
    update.mutate(
      { teamId: team.id, name: v.name },
      {
        onSuccess: (t) => toast.success(`Team renamed to “${t.name}”`),
        // A taken or refused name goes on the field; anything else is a toast.
        onError: (error) => {
          if (!placeApiFieldErrors(form, errorInfo(error), (f) => (f === "name" ? f : null)))
            toastError(error);
        },
      },
    ),
  );

  return (
    <SectionCard id="settings" title="Settings">
      <CardContent className="flex flex-col gap-5 text-sm">
        <form onSubmit={rename} noValidate className="flex flex-col gap-2">
          <TextField
            id="team-rename"
            label="Team name"
            hint="Renaming updates the team alias on every region"
            {...registerField(form, "name")}
          />
          <div>
            <Button
              type="submit"
              size="sm"
              variant="outline"
              disabled={!isDirty || update.isPending}
            >
              Rename
            </Button>
          </div>
        </form>

        {access.isAdmin ? (
          <section aria-labelledby="billing-heading" className="flex flex-col gap-2 border-t pt-4">
            <h3 id="billing-heading" className="font-medium">
              Billing
            </h3>
            <label className="flex items-center gap-2">
              <input
                type="checkbox"
                className="accent-[var(--color-primary)]"
                checked={team.alwaysFree}
                disabled={update.isPending}
                aria-haspopup="dialog"
                onChange={() => freeing.ask(team)}
              />
              Always free (never expires)
            </label>
            <p className="text-muted-foreground">
              Last payment:{" "}
              <span className="text-foreground">
                {team.lastPaymentAt ? formatDateTime(team.lastPaymentAt) : "never"}
              </span>
            </p>
            <div>
              <Button
                size="sm"
                variant="outline"
                disabled={update.isPending}
                onClick={() =>
                  update.mutate(
                    { teamId: team.id, lastPaymentAt: new Date().toISOString() },
                    { onSuccess: () => toast.success("Payment recorded"), onError: toastError },
                  )
                }
              >
                Record a payment now
              </Button>
            </div>
          </section>
        ) : null}

        <TeamRotationPolicy team={team} />

        <section aria-labelledby="danger-heading" className="flex flex-col gap-2 border-t pt-4">
          <h3 id="danger-heading" className="font-medium">
            Delete team
          </h3>
          <p className="text-muted-foreground">
            {hasKeys
              ? `The team still has ${pluralize(team.keysCount, "key")}: delete them first (they also live on the LiteLLM proxies).`
              : "Deletes the team, its memberships and its LiteLLM team on every region."}
          </p>
          <div>
            <Button
              size="sm"
              variant="destructive"
              disabled={hasKeys}
              aria-haspopup="dialog"
              onClick={() => deleting.ask(team)}
            >
              Delete team
            </Button>
          </div>
        </section>
      </CardContent>
      <ConfirmAction
        state={freeing}
        title={(t) => (t.alwaysFree ? "Stop always free" : "Make always free")}
        destructive={false}
        description={(t) => (
          <p>
            {t.alwaysFree
              ? `${t.name} will expire again when it has no recent payment and no active product.`
              : `${t.name} will never expire, whatever its payments.`}
          </p>
        )}
        confirmLabel={(t) => (t.alwaysFree ? "Stop always free" : "Make always free")}
        run={(t) => update.mutateAsync({ teamId: t.id, alwaysFree: !t.alwaysFree })}
        done={(_, updated) =>
          updated.alwaysFree ? "Team is always free" : "Team is no longer always free"
        }
      />
      <ConfirmAction
        state={deleting}
        title="Delete team"
        description={(t) => (
          <p>
            Delete <strong>{t.name}</strong>? This cannot be undone.
          </p>
        )}
        confirmLabel="Delete team"
        run={(t) => remove.mutateAsync({ teamId: t.id })}
        done={(t) => {
          void navigate({ to: "/teams" });
          return `${t.name} deleted`;
        }}
      />
    </SectionCard>
  );
}
