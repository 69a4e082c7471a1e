/**
 * A local OpenID provider (oidc-provider) on loopback, with demo people and groups: the
 * identity provider of the demo and of the tests, like the LiteLLM contract server.
 */
export { startIdentityProvider } from "./provider.ts";
export { DEMO_PEOPLE } from "./demo-people.ts";
export type {
  IdentityProvider,
  IdentityProviderOptions,
  IdpClient,
  IdpPerson,
  LogoutResult,
  SignInCredentials,
} from "./types.ts";
