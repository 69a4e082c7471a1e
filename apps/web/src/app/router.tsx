/**
 * The route tree (code-based). Every screen is lazy-loaded so the first download is the
 * shell only; list views keep their filters, sorting and paging in the URL.
 * Signed-in routes hang under the pathless "_authed" layout, whose beforeLoad makes sure
 * someone is signed in (`auth.session`) and otherwise sends the person to
 * /login?redirect=<where they were>.
 */
import type { QueryClient } from "@tanstack/react-query";
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  Outlet,
  redirect,
} from "@tanstack/react-router";
import { z } from "zod";
import { ZAuditSearch } from "@/features/audit/search.ts";
import { ZOrgsSearch } from "@/features/orgs/search.ts";
import { ZOutboxSearch } from "@/features/outbox/search.ts";
import { ZTeamsSearch } from "@/features/teams/search.ts";
import { ZUsersSearch } from "@/features/users/search.ts";
import { meQueryOptions } from "@/lib/access.ts";
import { queryClient } from "@/lib/trpc.ts";
import { AppShell } from "./app-shell.tsx";
import { NotFoundPage, PageError, PagePending } from "./route-states.tsx";

export interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: NotFoundPage,
});

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/login",
  validateSearch: z.object({
    redirect: z.string().max(2000).optional().catch(undefined),
    // A failed single sign-on comes back with a code (features/auth/sso-errors.ts).
    sso_error: z.string().max(64).optional().catch(undefined),
  }),
  component: lazyRouteComponent(
    () => import("@/features/auth/components/login-page.tsx"),
    "LoginPage",
  ),
});

/** Signed-out pages reached from a link in an email carry the link's token. */
const ZTokenSearch = z.object({ token: z.string().max(512).optional().catch(undefined) });

const forgotPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/forgot-password",
  component: lazyRouteComponent(
    () => import("@/features/auth/components/forgot-password-page.tsx"),
    "ForgotPasswordPage",
  ),
});

const resetPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/reset-password",
  validateSearch: ZTokenSearch,
  component: lazyRouteComponent(
    () => import("@/features/auth/components/reset-password-page.tsx"),
    "ResetPasswordPage",
  ),
});

const acceptInvitationRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/invitations/accept",
  validateSearch: ZTokenSearch,
  component: lazyRouteComponent(
    () => import("@/features/auth/components/accept-invitation-page.tsx"),
    "AcceptInvitationPage",
  ),
});

const authedRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: "_authed",
  beforeLoad: async ({ context, location }) => {
    // A visitor is null, not a 401: the first load of a signed-out browser stays quiet.
    const me = await context.queryClient.ensureQueryData(meQueryOptions());
    if (!me) {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- TanStack Router's control flow
      throw redirect({ to: "/login", search: { redirect: location.href } });
    }
  },
  component: AppShell,
  errorComponent: PageError,
});

const indexRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: "/",
  beforeLoad: () => {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- TanStack Router's control flow
    throw redirect({ to: "/teams" });
  },
});

const teamsRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: "/teams",
  validateSearch: ZTeamsSearch,
  component: lazyRouteComponent(() => import("./routes/teams-route.tsx"), "TeamsRoute"),
});

const teamRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: "/teams/$teamId",
  component: lazyRouteComponent(() => import("./routes/team-route.tsx"), "TeamRoute"),
});

const orgsRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: "/organizations",
  validateSearch: ZOrgsSearch,
  component: lazyRouteComponent(
    () => import("@/features/orgs/components/orgs-page.tsx"),
    "OrgsPage",
  ),
});

const orgRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: "/organizations/$orgId",
  component: lazyRouteComponent(() => import("@/features/orgs/components/org-page.tsx"), "OrgPage"),
});

const usersRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: "/users",
  validateSearch: ZUsersSearch,
  component: lazyRouteComponent(
    () => import("@/features/users/components/users-page.tsx"),
    "UsersPage",
  ),
});

const productsRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: "/products",
  component: lazyRouteComponent(
    () => import("@/features/products/components/products-page.tsx"),
    "ProductsPage",
  ),
});

const regionsRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: "/regions",
  component: lazyRouteComponent(
    () => import("@/features/regions/components/regions-page.tsx"),
    "RegionsPage",
  ),
});

const auditRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: "/audit",
  validateSearch: ZAuditSearch,
  component: lazyRouteComponent(
    () => import("@/features/audit/components/audit-page.tsx"),
    "AuditPage",
  ),
});

const sessionsRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: "/sessions",
  component: lazyRouteComponent(
    () => import("@/features/sessions/components/sessions-page.tsx"),
    "SessionsPage",
  ),
});

const accountRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: "/account",
  component: lazyRouteComponent(
    () => import("@/features/auth/components/account-page.tsx"),
    "AccountPage",
  ),
});

const serviceTokensRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: "/service-tokens",
  component: lazyRouteComponent(
    () => import("@/features/service-tokens/components/service-tokens-page.tsx"),
    "ServiceTokensPage",
  ),
});

const outboxRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: "/outbox",
  validateSearch: ZOutboxSearch,
  component: lazyRouteComponent(
    () => import("@/features/outbox/components/outbox-page.tsx"),
    "OutboxPage",
  ),
});

const identityProvidersRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: "/identity-providers",
  component: lazyRouteComponent(
    () => import("@/features/identity-providers/components/identity-providers-page.tsx"),
    "IdentityProvidersPage",
  ),
});

const orgWebhooksRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: "/organizations/$orgId/webhooks",
  component: lazyRouteComponent(
    () => import("@/features/webhooks/components/webhooks-page.tsx"),
    "OrgWebhooksPage",
  ),
});

const globalWebhooksRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: "/webhooks",
  component: lazyRouteComponent(
    () => import("@/features/webhooks/components/webhooks-page.tsx"),
    "GlobalWebhooksPage",
  ),
});

const notificationsRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: "/notifications",
  component: lazyRouteComponent(
    () => import("@/features/notifications/components/notifications-page.tsx"),
    "NotificationsPage",
  ),
});

/** Where a scheduled rotation's mail sends the key's owner and team admins (reveal once). */
const revealKeySecretRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: "/keys/$keyId/reveal",
  component: lazyRouteComponent(
    () => import("@/features/keys/components/reveal-secret-page.tsx"),
    "RevealSecretPage",
  ),
});

const routeTree = rootRoute.addChildren([
  loginRoute,
  forgotPasswordRoute,
  resetPasswordRoute,
  acceptInvitationRoute,
  authedRoute.addChildren([
    indexRoute,
    teamsRoute,
    teamRoute,
    orgsRoute,
    orgRoute,
    usersRoute,
    productsRoute,
    regionsRoute,
    auditRoute,
    sessionsRoute,
    serviceTokensRoute,
    accountRoute,
    outboxRoute,
    identityProvidersRoute,
    orgWebhooksRoute,
    globalWebhooksRoute,
    notificationsRoute,
    revealKeySecretRoute,
  ]),
]);

export const router = createRouter({
  routeTree,
  context: { queryClient },
  defaultPreload: "intent",
  // Query owns caching; the router should always run loaders and let Query decide.
  defaultPreloadStaleTime: 0,
  defaultPendingComponent: PagePending,
  defaultErrorComponent: PageError,
  scrollRestoration: true,
});

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
}
