import type { ReactNode } from "react";
import { useAccess, type Access } from "@/lib/access.ts";
import { NotAllowed } from "./not-allowed.tsx";

/** Renders children only for callers `allow` accepts; everyone else sees "Not allowed". */
export function RequireAccess({
  allow,
  what,
  children,
}: {
  allow: (access: Access) => boolean;
  what?: string;
  children: ReactNode;
}) {
  const access = useAccess();
  if (!allow(access)) return <NotAllowed {...(what ? { what } : {})} />;
  return <>{children}</>;
}

/** A route's screen behind `allow`: `export const UsersPage = withAccess(can.manageUsers, …)`. */
export function withAccess(
  allow: (access: Access) => boolean,
  what: string,
  Screen: () => React.JSX.Element,
): () => React.JSX.Element {
  return function Guarded() {
    return (
      <RequireAccess allow={allow} what={what}>
        <Screen />
      </RequireAccess>
    );
  };
}
