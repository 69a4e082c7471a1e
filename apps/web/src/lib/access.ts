/**
 * Who is signed in and what the UI should offer them. The API enforces every rule again;
 * this only decides which navigation and actions to show.
 */
import type { OrgRole } from "@gatehouse/core";
import { useQuery } from "@tanstack/react-query";
import { trpc, type RouterOutputs } from "./trpc.ts";

/** The signed-in caller (`auth.session` answers null for a visitor without a session). */
export type Me = NonNullable<RouterOutputs["auth"]["session"]>;

export interface Access {
  signedIn: boolean;
  userId: string | null;
  email: string | null;
  name: string | null;
  isAdmin: boolean;
  /** Organizations where the caller is ORG_ADMIN. */
  adminOrgIds: readonly string[];
  organizations: ReadonlyArray<{ id: string; name: string; role: OrgRole }>;
  sessionExpiresAt: string | null;
}

export const signedOut: Access = {
  signedIn: false,
  userId: null,
  email: null,
  name: null,
  isAdmin: false,
  adminOrgIds: [],
  organizations: [],
  sessionExpiresAt: null,
};

export function accessOf(me: Me | null | undefined): Access {
  if (!me) return signedOut;
  if (me.kind === "service") {
    // The web app is for people; a service token in a browser is not expected, but be exact.
    return {
      ...signedOut,
      signedIn: true,
      isAdmin: me.scope === "admin",
      adminOrgIds: me.organizationId ? [me.organizationId] : [],
    };
  }
  return {
    signedIn: true,
    userId: me.user.id,
    email: me.user.email,
    name: me.user.name,
    isAdmin: me.user.isSystemAdmin,
    adminOrgIds: me.organizations.filter((o) => o.role === "ORG_ADMIN").map((o) => o.id),
    organizations: me.organizations,
    sessionExpiresAt: me.session.expiresAt,
  };
}

/**
 * Who is signed in: `auth.session`, which answers a visitor with null (a normal state: no
 * 401 in the console on the first load) where `auth.me` would refuse.
 */
export const meQueryOptions = () =>
  trpc.auth.session.queryOptions(undefined, { staleTime: 60_000 });

/** Inside the signed-in layout `auth.session` is already cached (its beforeLoad ensured it). */
export function useAccess(): Access {
  const { data } = useQuery(meQueryOptions());
  return accessOf(data);
}

export const can = {
  /** Plain members see their teams, not the organization screens. */
  seeOrganizations: (a: Access) => a.isAdmin || a.adminOrgIds.length > 0,
  seeAudit: (a: Access) => a.isAdmin || a.adminOrgIds.length > 0,
  manageUsers: (a: Access) => a.isAdmin,
  manageProducts: (a: Access) => a.isAdmin,
  manageRegions: (a: Access) => a.isAdmin,
  manageServiceTokens: (a: Access) => a.isAdmin,
  /** outbox.list / outbox.get: mails carry invitation and reset links. */
  readOutbox: (a: Access) => a.isAdmin,
  /** Identity providers: system admins (global and every organization's), org admins (their own). */
  seeIdentityProviders: (a: Access) => a.isAdmin || a.adminOrgIds.length > 0,
  mergeTeams: (a: Access) => a.isAdmin,
  /** users.list: admins for anyone, org admins for their organizations' members. */
  listUsersOf: (a: Access, organizationId: string | null) =>
    a.isAdmin || (organizationId !== null && a.adminOrgIds.includes(organizationId)),
  adminOrg: (a: Access, organizationId: string | null) =>
    a.isAdmin || (organizationId !== null && a.adminOrgIds.includes(organizationId)),
};
