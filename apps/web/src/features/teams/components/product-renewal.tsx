/**
 * "renews on <date>" for an active product, "lapsed on <date>" for a lapsed one (dates from
 * the API, core renewalView); nothing for a cancelled one. Used by the teams table and the
 * team page's products section.
 */
import { formatDate } from "@/lib/format.ts";

export function RenewalNote({
  renewsOn,
  lapsedOn,
  lapsedHint = false,
}: {
  renewsOn: string | null;
  lapsedOn: string | null;
  /** Adds what brings a lapsed product back (the team page, where billing is managed). */
  lapsedHint?: boolean;
}) {
  if (renewsOn)
    return (
      <span className="text-xs whitespace-nowrap text-muted-foreground">
        renews on {formatDate(renewsOn)}
      </span>
    );
  if (lapsedOn)
    return (
      <span className="text-xs text-muted-foreground">
        lapsed on {formatDate(lapsedOn)}
        {lapsedHint ? "; a payment renews it" : null}
      </span>
    );
  return null;
}
