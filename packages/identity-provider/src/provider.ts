import {
  createHash,
  generateKeyPairSync,
  randomBytes,
  randomUUID,
  timingSafeEqual,
} from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, {
  type ClientMetadata,
  type Configuration,
  type KoaContextWithOIDC,
} from "oidc-provider";
import { signInLikeABrowser } from "./browser.ts";
import { renderLoginPage } from "./login-page.ts";
import { MemoryStore } from "./store.ts";
import type {
  IdentityProvider,
  IdentityProviderOptions,
  IdpClient,
  IdpPerson,
  LogoutResult,
} from "./types.ts";

/** Every scope a relying party may ask for; `groups` is what Gatehouse's group rules read. */
const SCOPES = ["openid", "email", "profile", "groups"];

/** `Client#backchannelLogout` exists in oidc-provider 9 but not in its published types. */
interface BackchannelClient {
  backchannelLogoutUri?: string | undefined;
  backchannelLogout(sub: string, sid: string | undefined): Promise<void>;
}

function clientMetadata(client: IdpClient): ClientMetadata {
  return {
    client_id: client.clientId,
    client_secret: client.clientSecret,
    redirect_uris: client.redirectUris,
    response_types: ["code"],
    grant_types: ["authorization_code"],
    token_endpoint_auth_method: client.tokenEndpointAuthMethod ?? "client_secret_post",
    ...(client.backchannelLogoutUri
      ? {
          backchannel_logout_uri: client.backchannelLogoutUri,
          backchannel_logout_session_required: true,
        }
      : {}),
  };
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(new URLSearchParams(Buffer.concat(chunks).toString("utf8"))));
    req.on("error", reject);
  });
}

function sendHtml(res: ServerResponse, status: number, html: string) {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
  });
  res.end(html);
}

/**
 * Starts oidc-provider on loopback with the given people and relying parties. The signing key
 * and cookie keys are made fresh at each start: nothing issued by one run verifies in another.
 */
export async function startIdentityProvider(
  options: IdentityProviderOptions,
): Promise<IdentityProvider> {
  const host = options.host ?? "127.0.0.1";
  const people = new Map<string, IdpPerson>(
    options.people.map((person) => [person.sub, { ...person, groups: [...person.groups] }]),
  );
  const store = new MemoryStore();
  const upsertClient = (client: IdpClient) =>
    store.set("Client", client.clientId, clientMetadata(client));
  for (const client of options.clients ?? []) upsertClient(client);

  // The issuer must contain the port, so listen first and build the provider once it is known
  // (nobody can send a request before then: the port is not known outside yet).
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  // A reverse proxy in front (tests that tamper with responses) gives its own address.
  const issuer = options.issuer ?? `http://${host}:${port}`;

  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = {
    ...privateKey.export({ format: "jwk" }),
    kid: randomUUID(),
    alg: "RS256",
    use: "sig",
  };

  const configuration: Configuration = {
    adapter: store.adapterFactory(),
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    scopes: SCOPES,
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name"],
      groups: ["groups"],
    },
    // Relying parties read the person from the ID token alone, as Gatehouse does.
    conformIdTokenClaims: false,
    responseTypes: ["code"],
    pkce: { required: () => true },
    // Explicit lifetimes (in seconds), short like a real IdP's, and no default-ttl notices.
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 300,
      IdToken: 3600,
      Interaction: 3600,
      Session: 8 * 3600,
      Grant: 8 * 3600,
    },
    features: {
      devInteractions: { enabled: false },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const person = people.get(sub);
      if (!person) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          email: person.email,
          email_verified: person.emailVerified,
          name: person.name,
          groups: [...person.groups],
        }),
      };
    },
    // Auto-consent: every client here is first-party, so a grant for all scopes is made on the
    // first authorization instead of showing a consent screen.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { client, session, result } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId =
        (result?.consent as { grantId?: string } | undefined)?.grantId ??
        session.grantIdFor(client.clientId);
      if (grantId) {
        const existing = await ctx.oidc.provider.Grant.find(grantId);
        if (existing) return existing;
      }
      const grant = new ctx.oidc.provider.Grant({
        clientId: client.clientId,
        accountId: session.accountId,
      });
      grant.addOIDCScope(SCOPES.join(" "));
      grant.addOIDCClaims(["email", "email_verified", "name", "groups"]);
      await grant.save();
      session.grantIdFor(client.clientId, grant.jti);
      return grant;
    },
    // oidc-provider refuses loopback targets (SSRF protection) and gives each call 2.5 s; the
    // relying party here is on loopback and the machine may be loaded.
    fetch: (input, init) => {
      const {
        dispatcher: _dispatcher,
        signal: _signal,
        ...rest
      } = (init ?? {}) as RequestInit & {
        dispatcher?: unknown;
      };
      return fetch(input, { ...rest, signal: AbortSignal.timeout(60_000) });
    },
  };
  const provider = new Provider(issuer, configuration);
  const handleProtocol = provider.callback();
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    void route(provider, req, res).catch((error: unknown) => {
      if (!res.headersSent)
        sendHtml(res, 500, "<!doctype html><title>Error</title><p>Internal error</p>");
      else res.end();
      // A broken interaction is a test bug worth seeing; there is no logger in this room.
      console.error("identity provider:", error);
    });
  });

  async function route(oidc: Provider, req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", issuer);
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(url.pathname);
    if (!match) {
      await handleProtocol(req, res);
      return;
    }
    const details = await oidc.interactionDetails(req, res).catch(() => undefined);
    if (!details || details.uid !== match[1]) {
      sendHtml(
        res,
        400,
        '<!doctype html><html lang="en"><title>Sign-in expired</title><main><h1>This sign-in has expired</h1><p>Go back to the application and start again.</p></main></html>',
      );
      return;
    }
    const clientId = typeof details.params.client_id === "string" ? details.params.client_id : "";
    const action = `/interaction/${details.uid}/login`;

    if (details.prompt.name === "consent") {
      // Reached only if a grant went missing: consent without asking, as loadExistingGrant does.
      const grant = new oidc.Grant({ clientId, accountId: details.session?.accountId ?? "" });
      grant.addOIDCScope(SCOPES.join(" "));
      grant.addOIDCClaims(["email", "email_verified", "name", "groups"]);
      const grantId = await grant.save();
      await oidc.interactionFinished(
        req,
        res,
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      );
      return;
    }

    if (req.method === "GET" && !match[2]) {
      // The relying party's login_hint (the email typed there) fills the field, as real IdPs do.
      const hint = typeof details.params.login_hint === "string" ? details.params.login_hint : "";
      sendHtml(res, 200, renderLoginPage({ action, clientName: clientId, login: hint }));
      return;
    }
    if (req.method === "POST" && match[2]) {
      const form = await readForm(req);
      const login = (form.get("login") ?? "").trim();
      const password = form.get("password") ?? "";
      const person = [...people.values()].find(
        (p) => p.email.toLowerCase() === login.toLowerCase(),
      );
      // Compare even when nobody has that email, so both refusals take the same path.
      const passwordOk = sameSecret(password, person?.password ?? randomUUID());
      if (!person || !passwordOk) {
        sendHtml(
          res,
          401,
          renderLoginPage({
            action,
            clientName: clientId,
            login,
            error: "Wrong email or password.",
          }),
        );
        return;
      }
      await oidc.interactionFinished(
        req,
        res,
        { login: { accountId: person.sub } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    res.writeHead(405, { allow: match[2] ? "POST" : "GET" }).end();
  }

  async function logout(sub: string): Promise<LogoutResult> {
    const deliveries: Array<Promise<void>> = [];
    for (const [sessionId, session] of store.entries("Session")) {
      if (session.accountId !== sub) continue;
      for (const [clientId, authorization] of Object.entries(session.authorizations ?? {})) {
        const client = (await provider.Client.find(clientId)) as unknown as
          BackchannelClient | undefined;
        if (client?.backchannelLogoutUri)
          deliveries.push(client.backchannelLogout(sub, authorization.sid));
        if (authorization.grantId) {
          const grant = await provider.Grant.find(authorization.grantId);
          await grant?.destroy();
        }
      }
      store.delete("Session", sessionId);
    }
    const results = await Promise.allSettled(deliveries);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed.length > 0) {
      throw new AggregateError(
        failed.map((f) => f.reason as unknown),
        `back-channel logout: ${failed.length} of ${results.length} deliveries failed`,
      );
    }
    return { delivered: results.length };
  }

  function person(sub: string): IdpPerson {
    const found = people.get(sub);
    if (!found) throw new Error(`identity provider: no person with sub ${sub}`);
    return found;
  }

  return {
    issuer,
    // Its own listening address (the issuer, unless a proxy in front gave another).
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
    setGroups: (sub, groups) => {
      person(sub).groups = [...groups];
    },
    setEmailVerified: (sub, emailVerified) => {
      person(sub).emailVerified = emailVerified;
    },
    addClient: upsertClient,
    logout,
    signIn: (authorizationUrl, credentials) =>
      signInLikeABrowser(issuer, authorizationUrl, credentials),
  };
}
