import {
  createHash,
  createPublicKey,
  createVerify,
  randomBytes,
  type JsonWebKey,
} from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PEOPLE, startIdentityProvider, type IdentityProvider } from "../src/index.ts";

// A relying party written by hand (discovery, PKCE, token exchange, RS256 verification) so the
// provider is checked against the protocol, not against a client library's leniency.

interface Received {
  body: URLSearchParams;
}

let idp: IdentityProvider;
let rp: Server;
let rpUrl: string;
const received: Received[] = [];
const waiters: Array<() => void> = [];

const CLIENT = { clientId: "gatehouse", clientSecret: "s3cret-for-tests" };

beforeAll(async () => {
  rp = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ body: new URLSearchParams(Buffer.concat(chunks).toString("utf8")) });
      res.writeHead(200).end();
      for (const wake of waiters.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => rp.listen(0, "127.0.0.1", resolve));
  rpUrl = `http://127.0.0.1:${(rp.address() as AddressInfo).port}`;
  idp = await startIdentityProvider({ people: [...DEMO_PEOPLE], clients: [] });
  // Registered after start, as the demo and the tests do once Gatehouse's port is known.
  idp.addClient({
    ...CLIENT,
    redirectUris: [`${rpUrl}/auth/sso/callback`],
    backchannelLogoutUri: `${rpUrl}/auth/sso/backchannel-logout`,
  });
});

afterAll(async () => {
  await idp.close();
  await new Promise<void>((resolve) => rp.close(() => resolve()));
});

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  scopes_supported: string[];
  claims_supported: string[];
  code_challenge_methods_supported: string[];
  backchannel_logout_supported: boolean;
  backchannel_logout_session_supported: boolean;
}

async function discover(): Promise<Discovery> {
  const response = await fetch(`${idp.issuer}/.well-known/openid-configuration`);
  expect(response.status).toBe(200);
  return (await response.json()) as Discovery;
}

function decodePart(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
}

async function verifyJwt(jwt: string, discovery: Discovery): Promise<Record<string, unknown>> {
  const [header = "", payload = "", signature = ""] = jwt.split(".");
  const { kid, alg } = decodePart(header);
  expect(alg).toBe("RS256");
  const jwks = (await (await fetch(discovery.jwks_uri)).json()) as {
    keys: Array<JsonWebKey & { kid: string }>;
  };
  const jwk = jwks.keys.find((k) => k.kid === kid);
  expect(jwk).toBeDefined();
  const ok = createVerify("RSA-SHA256")
    .update(`${header}.${payload}`)
    .verify(createPublicKey({ key: jwk!, format: "jwk" }), Buffer.from(signature, "base64url"));
  expect(ok).toBe(true);
  return decodePart(payload);
}

function authorizationUrl(discovery: Discovery, withPkce = true) {
  const verifier = randomBytes(32).toString("base64url");
  const state = randomBytes(8).toString("base64url");
  const nonce = randomBytes(8).toString("base64url");
  const url = new URL(discovery.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: CLIENT.clientId,
    response_type: "code",
    redirect_uri: `${rpUrl}/auth/sso/callback`,
    scope: "openid email profile groups",
    state,
    nonce,
    ...(withPkce
      ? {
          code_challenge: createHash("sha256").update(verifier).digest("base64url"),
          code_challenge_method: "S256",
        }
      : {}),
  }).toString();
  return { url: url.href, verifier, state, nonce };
}

async function signInAndExchange(login: string, password: string) {
  const discovery = await discover();
  const auth = authorizationUrl(discovery);
  const { callbackUrl } = await idp.signIn(auth.url, { login, password });
  const callback = new URL(callbackUrl);
  expect(`${callback.origin}${callback.pathname}`).toBe(`${rpUrl}/auth/sso/callback`);
  expect(callback.searchParams.get("state")).toBe(auth.state);
  const code = callback.searchParams.get("code");
  expect(code).toBeTruthy();
  const tokenResponse = await fetch(discovery.token_endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code: code!,
      redirect_uri: `${rpUrl}/auth/sso/callback`,
      code_verifier: auth.verifier,
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
    }).toString(),
  });
  expect(tokenResponse.status).toBe(200);
  const tokens = (await tokenResponse.json()) as { id_token: string; access_token: string };
  const claims = await verifyJwt(tokens.id_token, discovery);
  return { claims, auth, discovery };
}

function nextDelivery(): Promise<void> {
  return new Promise((resolve) => waiters.push(resolve));
}

describe("local identity provider", () => {
  it("publishes discovery with its issuer, the groups scope, S256 PKCE and back-channel logout", async () => {
    const discovery = await discover();
    expect(discovery.issuer).toBe(idp.issuer);
    expect(idp.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(discovery.scopes_supported).toEqual(
      expect.arrayContaining(["openid", "email", "profile", "groups"]),
    );
    expect(discovery.claims_supported).toEqual(
      expect.arrayContaining(["email", "email_verified", "name", "groups"]),
    );
    expect(discovery.code_challenge_methods_supported).toEqual(["S256"]);
    expect(discovery.backchannel_logout_supported).toBe(true);
  });

  it("signs a person in and puts email, email_verified, name and groups in the ID token", async () => {
    const hedy = DEMO_PEOPLE[0]!;
    const { claims, auth } = await signInAndExchange(hedy.email, hedy.password);
    expect(claims).toMatchObject({
      iss: idp.issuer,
      aud: CLIENT.clientId,
      sub: hedy.sub,
      nonce: auth.nonce,
      email: hedy.email,
      email_verified: true,
      name: hedy.name,
      groups: hedy.groups,
    });
  });

  it("reflects group and verification changes at the next sign-in", async () => {
    const katherine = DEMO_PEOPLE[1]!;
    idp.setGroups(katherine.sub, ["ml-readers"]);
    idp.setEmailVerified(katherine.sub, false);
    const { claims } = await signInAndExchange(katherine.email, katherine.password);
    expect(claims).toMatchObject({ groups: ["ml-readers"], email_verified: false });
    idp.setGroups(katherine.sub, katherine.groups);
    idp.setEmailVerified(katherine.sub, true);
  });

  it("refuses a wrong password with an announced error", async () => {
    const discovery = await discover();
    const edsger = DEMO_PEOPLE[2]!;
    await expect(
      idp.signIn(authorizationUrl(discovery).url, { login: edsger.email, password: "wrong" }),
    ).rejects.toThrow(/Wrong email or password/);
  });

  it("requires PKCE", async () => {
    const discovery = await discover();
    const response = await fetch(authorizationUrl(discovery, false).url, { redirect: "manual" });
    const location = new URL(response.headers.get("location") ?? "", idp.issuer);
    expect(location.searchParams.get("error")).toBe("invalid_request");
    expect(location.searchParams.get("error_description")).toMatch(/PKCE/);
  });

  it("logs a person out and delivers a signed logout token to the client's back-channel URI", async () => {
    const edsger = DEMO_PEOPLE[2]!;
    const { claims, discovery } = await signInAndExchange(edsger.email, edsger.password);
    const delivered = nextDelivery();
    const result = await idp.logout(edsger.sub);
    await delivered;
    expect(result.delivered).toBe(1);
    const logoutToken = received.at(-1)!.body.get("logout_token");
    expect(logoutToken).toBeTruthy();
    const logoutClaims = await verifyJwt(logoutToken!, discovery);
    expect(logoutClaims).toMatchObject({
      iss: idp.issuer,
      aud: CLIENT.clientId,
      sub: edsger.sub,
      sid: claims.sid,
      events: { "http://schemas.openid.net/event/backchannel-logout": {} },
    });
    expect(logoutClaims.nonce).toBeUndefined();
    // The session is gone: logging out again has nothing left to deliver.
    await expect(idp.logout(edsger.sub)).resolves.toEqual({ delivered: 0 });
  });
});
