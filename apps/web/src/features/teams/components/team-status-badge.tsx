import { Badge } from "@/components/ui/badge.tsx";

/** The expired badge: `expired` comes from core's isTeamExpired on the server. */
export function TeamStatusBadge({ expired, alwaysFree }: { expired: boolean; alwaysFree: boolean }) {
  if (expired) return <Badge variant="destructive">Expired</Badge>;
  if (alwaysFree) return <Badge variant="secondary">Always free</Badge>;
  return <Badge variant="success">Active</Badge>;
}
