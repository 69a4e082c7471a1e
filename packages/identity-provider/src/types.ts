/** The shapes a caller gives the local identity provider. */

/** A relying party registered with the provider (Gatehouse, in the demo and the tests). */
export interface IdpClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  /** Where back-channel logout tokens are POSTed (OIDC Back-Channel Logout 1.0). */
  backchannelLogoutUri?: string;
  /**
   * How the client authenticates at the token endpoint. oidc-provider allows one method per
   * client; the default is openid-client's own default (a secret given to `discovery` is sent
   * as `client_secret_post`), so a relying party built with openid-client works unchanged.
   */
  tokenEndpointAuthMethod?: "client_secret_post" | "client_secret_basic";
}

/** A person who can sign in at the provider, and the claims their ID token carries. */
export interface IdpPerson {
  /** Stable subject identifier (`sub`). */
  sub: string;
  email: string;
  emailVerified: boolean;
  name: string;
  password: string;
  groups: string[];
}

export interface IdentityProviderOptions {
  /** 0 (the default) picks any free port. */
  port?: number;
  host?: "127.0.0.1";
  /**
   * The issuer, when a reverse proxy in front of the provider is its public address (every
   * request then comes through it); default `http://<host>:<port>`.
   */
  issuer?: string;
  clients?: IdpClient[];
  people: IdpPerson[];
}

export interface SignInCredentials {
  login: string;
  password: string;
}

export interface LogoutResult {
  /** Back-channel logout tokens delivered (one per client session ended). */
  delivered: number;
}

export interface IdentityProvider {
  /** `http://127.0.0.1:<port>`, the `iss` of every token and the discovery base. */
  issuer: string;
  /** Its own listening address (the same as the issuer unless the `issuer` option was given). */
  url: string;
  close(): Promise<void>;
  setGroups(sub: string, groups: string[]): void;
  setEmailVerified(sub: string, emailVerified: boolean): void;
  /** Registers (or replaces, by clientId) a relying party, e.g. once its port is known. */
  addClient(client: IdpClient): void;
  /**
   * Ends every IdP session of that person and POSTs a logout token to the back-channel logout
   * URI of each client they had signed in to; resolves once every one answered 200/204, and
   * rejects if any delivery failed.
   */
  logout(sub: string): Promise<LogoutResult>;
  /**
   * Drives the login page like a browser (its own cookie jar, real HTTP) from an authorization
   * URL made by the relying party, and returns the redirect back to it (with `code` and
   * `state`) without following it.
   */
  signIn(
    authorizationUrl: string,
    credentials: SignInCredentials,
  ): Promise<{ callbackUrl: string }>;
}
