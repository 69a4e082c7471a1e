/**
 * A local OpenID provider (oidc-provider) on loopback, with demo people and groups: the
 * identity provider of the demo and of the tests, like the LiteLLM contract server.
 */
export {};
