/**
 * The SSO side of the sign-in benchmark. The local IdP runs in this process; Gatehouse (a
 * child process) has it as an organization's identity provider with one group rule (the
 * person's group -> organization member and team member), so every sign-in also runs the
 * group sync. One person signs in again and again, as the password side's one account does:
 * the warm-up's first sign-in provisions the account, the measured ones are returning
 * sign-ins. Each: /auth/sso/start, the IdP's login page (untimed), then the timed
 * /auth/sso/callback, which exchanges the code with the IdP and starts the session.
 */
import crypto from "node:crypto";
import { startIdentityProvider } from "@gatehouse/identity-provider";
import { cookiesOf, exchange, type ApiClient } from "./http.ts";

export interface SsoBench {
  signInOnce: () => Promise<{ ok: boolean; ms: number }>;
  close: () => Promise<void>;
}

const DOMAIN = "sso.bench.example";
const GROUP = "bench-engineers";

export async function prepareSso(client: ApiClient, admin: string): Promise<SsoBench> {
  const person = {
    sub: "bench-sso-person",
    email: `person@${DOMAIN}`,
    emailVerified: true,
    name: "Bench Person",
    password: crypto.randomBytes(12).toString("hex"),
    groups: [GROUP],
  };
  const clientSecret = crypto.randomBytes(24).toString("base64url");
  const idp = await startIdentityProvider({
    people: [person],
    clients: [
      {
        clientId: "gatehouse-bench",
        clientSecret,
        redirectUris: [new URL("/auth/sso/callback", client.base).href],
        backchannelLogoutUri: new URL("/auth/sso/backchannel-logout", client.base).href,
      },
    ],
  });
  const org = await client.mutation<{ id: string }>(
    "orgs.create",
    { name: "Bench SSO Org" },
    admin,
  );
  const team = await client.mutation<{ id: string }>(
    "teams.create",
    { name: "Bench SSO Team", organizationId: org.data.id },
    admin,
  );
  const provider = await client.mutation<{ id: string }>(
    "identityProviders.create",
    {
      organizationId: org.data.id,
      issuer: idp.issuer,
      clientId: "gatehouse-bench",
      clientSecret,
      domains: [DOMAIN],
      jitProvisioning: true,
    },
    admin,
  );
  await client.mutation(
    "identityProviders.setGroupRules",
    {
      providerId: provider.data.id,
      rules: [
        { group: GROUP, organizationId: org.data.id, teamId: team.data.id, teamRole: "MEMBER" },
      ],
    },
    admin,
  );

  return {
    async signInOnce() {
      const start = await exchange(
        new URL(`/auth/sso/start?email=${encodeURIComponent(person.email)}`, client.base),
      );
      const to = start.headers.location ?? "";
      if (start.status !== 302 || to.startsWith("/"))
        throw new Error(`/auth/sso/start answered ${start.status} ${to}`);
      const { callbackUrl } = await idp.signIn(to, {
        login: person.email,
        password: person.password,
      });
      const callback = await exchange(new URL(callbackUrl), {
        headers: { cookie: cookiesOf(start.headers).join("; ") },
      });
      const signedIn =
        callback.status === 302 &&
        callback.headers.location === "/" &&
        cookiesOf(callback.headers).some(
          (c) => c.startsWith("gh_session=") && c.length > "gh_session=".length,
        );
      return { ok: signedIn, ms: callback.ms };
    },
    close: () => idp.close(),
  };
}
