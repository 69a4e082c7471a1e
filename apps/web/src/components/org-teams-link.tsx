/** A link to the teams list filtered to one organization (its name, its team count…). */
import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";

export function OrgTeamsLink({
  orgId,
  className,
  children,
}: {
  orgId: string;
  className: string;
  children: ReactNode;
}) {
  return (
    <Link to="/teams" search={{ org: orgId }} className={className}>
      {children}
    </Link>
  );
}
