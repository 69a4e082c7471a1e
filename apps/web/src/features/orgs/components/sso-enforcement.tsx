/**
 * "Enforce single sign-on" on an organization's page (orgs.setSsoEnforced), for its admins.
 * A switch that asks first: enforcing ends the password sessions of the organization's
 * members (system admins keep password sign-in as a break-glass).
 */
import { useMutation } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { ConfirmAction, useConfirmTarget } from "@/components/confirm-action.tsx";
import { SectionCard } from "@/components/section-card.tsx";
import { CardContent } from "@/components/ui/card.tsx";
import { pluralize } from "@/lib/format.ts";
import { trpc } from "@/lib/trpc.ts";

export function SsoEnforcement({
  organizationId,
  organizationName,
  enforced,
}: {
  organizationId: string;
  organizationName: string;
  enforced: boolean;
}) {
  const setEnforced = useMutation(trpc.orgs.setSsoEnforced.mutationOptions());
  const confirming = useConfirmTarget<boolean>();
  return (
    <SectionCard id="org-sso" title="Single sign-on">
      <CardContent className="flex flex-col gap-3">
        <div className="flex items-center justify-between gap-4">
          <div className="flex flex-col gap-1">
            <span id="sso-enforced-label" className="text-sm font-medium">
              Enforce single sign-on
            </span>
            <span id="sso-enforced-hint" className="text-sm text-muted-foreground">
              {enforced
                ? "Members sign in only through the organization's identity provider."
                : "Members may sign in with a password or with single sign-on."}
            </span>
          </div>
          <button
            type="button"
            role="switch"
            aria-checked={enforced}
            aria-labelledby="sso-enforced-label"
            aria-describedby="sso-enforced-hint"
            aria-haspopup="dialog"
            disabled={setEnforced.isPending}
            onClick={() => confirming.ask(!enforced)}
            className="relative inline-flex h-6 w-11 shrink-0 items-center rounded-full border-2 border-transparent bg-input outline-none transition-colors focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-offset-2 aria-checked:bg-primary disabled:opacity-60"
          >
            <span
              aria-hidden="true"
              className={`inline-block size-5 rounded-full bg-card shadow transition-transform ${enforced ? "translate-x-5" : "translate-x-0"}`}
            />
          </button>
        </div>
        <p className="text-sm text-muted-foreground">
          Set up the provider on the{" "}
          <Link to="/identity-providers" className="text-primary underline underline-offset-4">
            identity providers
          </Link>{" "}
          screen first, and check that people can sign in with it.
        </p>
      </CardContent>
      <ConfirmAction
        state={confirming}
        title={
          confirming.target === false ? "Stop enforcing single sign-on" : "Enforce single sign-on"
        }
        description={(enforce) =>
          enforce ? (
            <p>
              Members of <strong>{organizationName}</strong> will sign in only through single
              sign-on, and their password sessions end now (yours too, if you are one of them).
              System admins keep password sign-in.
            </p>
          ) : (
            <p>
              Members of <strong>{organizationName}</strong> will be able to sign in with a password
              again.
            </p>
          )
        }
        confirmLabel={(enforce) => (enforce ? "Enforce" : "Stop enforcing")}
        destructive={confirming.target !== false}
        run={(enforce) => setEnforced.mutateAsync({ organizationId, enforced: enforce })}
        done={(enforce, result) =>
          enforce
            ? `Single sign-on enforced; ${pluralize(result.endedSessions, "password session")} ended`
            : "Single sign-on no longer enforced"
        }
      />
    </SectionCard>
  );
}
