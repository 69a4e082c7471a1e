import { Badge } from "@/components/ui/badge.tsx";

/**
 * The team's state. `expired` is core's isTeamExpired on the server; `blocked` (any reason:
 * manual or expired past its grace days) is shown beside it, not instead of it, since the
 * two are lifted differently (unblock vs. a payment or a product).
 */
export function TeamStatusBadge({
  expired,
  alwaysFree,
  blocked = false,
}: {
  expired: boolean;
  alwaysFree: boolean;
  blocked?: boolean;
}) {
  const state = expired ? (
    <Badge variant="destructive">Expired</Badge>
  ) : alwaysFree ? (
    <Badge variant="secondary">Always free</Badge>
  ) : blocked ? null : (
    <Badge variant="success">Active</Badge>
  );
  if (!blocked) return state;
  return (
    <span className="inline-flex flex-wrap gap-1">
      <Badge variant="destructive" className="border-destructive/40">
        Blocked
      </Badge>
      {state}
    </span>
  );
}
