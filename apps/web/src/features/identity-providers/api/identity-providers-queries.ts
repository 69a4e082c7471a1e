/**
 * identityProviders.list and the lookups its forms need. The client secret is write-only:
 * the list says whether one is set, never what it is.
 */
import { trpc, type RouterOutputs } from "@/lib/trpc.ts";

export type IdentityProvider = RouterOutputs["identityProviders"]["list"]["items"][number];

/** Every provider the caller may manage (all for system admins; their organizations' for org admins). */
export const identityProvidersQueryOptions = () =>
  trpc.identityProviders.list.queryOptions(undefined, { select: (data) => data.items });

/** The organizations a system admin may pick (the first 100 by name is plenty for a form). */
export const orgChoicesQueryOptions = () => trpc.orgs.list.queryOptions({ page: 1, pageSize: 100 });

/** One organization's teams, for a group rule's team choice. */
export const orgTeamsQueryOptions = (organizationId: string) =>
  trpc.teams.list.queryOptions({
    organizationId,
    page: 1,
    pageSize: 100,
    sortBy: "name",
    sortOrder: "asc",
  });

/**
 * Where the identity provider sends people back, and where it posts logout tokens: the
 * address the browser uses for Gatehouse, which is GATEHOUSE_PUBLIC_URL when it is set right.
 */
export function ssoEndpoints(origin: string = window.location.origin) {
  return {
    redirectUri: `${origin}/auth/sso/callback`,
    backchannelLogoutUri: `${origin}/auth/sso/backchannel-logout`,
  };
}
