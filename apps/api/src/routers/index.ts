/**
 * The application router: one sub-router per domain. Web and internal services import
 * `AppRouter` as a type only.
 */
import { router } from "../trpc/init.ts";
import { auditRouter } from "./audit/router.ts";
import { authRouter } from "./auth/router.ts";
import { invitationsRouter } from "./invitations/router.ts";
import { identityProvidersRouter } from "./identity-providers/router.ts";
import { keysRouter } from "./keys/router.ts";
import { orgsRouter } from "./orgs/router.ts";
import { outboxRouter } from "./outbox/router.ts";
import { productsRouter } from "./products/router.ts";
import { regionsRouter } from "./regions/router.ts";
import { serviceTokensRouter } from "./service-tokens/router.ts";
import { sessionsRouter } from "./sessions/router.ts";
import { teamsRouter } from "./teams/router.ts";
import { usersRouter } from "./users/router.ts";
import { webhooksRouter } from "./webhooks/router.ts";

export const appRouter = router({
  auth: authRouter,
  users: usersRouter,
  sessions: sessionsRouter,
  serviceTokens: serviceTokensRouter,
  teams: teamsRouter,
  orgs: orgsRouter,
  products: productsRouter,
  audit: auditRouter,
  regions: regionsRouter,
  keys: keysRouter,
  invitations: invitationsRouter,
  outbox: outboxRouter,
  identityProviders: identityProvidersRouter,
  webhooks: webhooksRouter,
});

export type AppRouter = typeof appRouter;
