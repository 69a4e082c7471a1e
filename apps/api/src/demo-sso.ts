/**
 * The demo's single sign-on: the bundled local OpenID provider (packages/identity-provider)
 * on `config.demo.idpPort` with its demo people, registered with Gatehouse as Acme Corp's
 * identity provider (domain acme.example, just-in-time provisioning, group rules), so a
 * newcomer can click "Continue with single sign-on" and land with the right roles.
 * A fresh client secret is made at each start: the IdP keeps nothing between runs.
 */
import crypto from "node:crypto";
import {
  DEMO_PEOPLE,
  startIdentityProvider,
  type IdentityProvider,
  type IdpPerson,
} from "@gatehouse/identity-provider";
import { ensureDemoIdentityProvider, type DemoSsoRule } from "@gatehouse/db/data";
import type { Database } from "@gatehouse/db";
import { SSO_BACKCHANNEL_LOGOUT_PATH, SSO_CALLBACK_PATH } from "./auth/sso/paths.ts";
import { publicUrlOf, type AppConfig } from "./config.ts";
import { idpSecretBinding, sealSecret } from "./secrets.ts";

const DEMO_SSO_ORGANIZATION = "Acme Corp";
const DEMO_SSO_DOMAIN = "acme.example";
const DEMO_SSO_CLIENT_ID = "gatehouse-demo";

/** What each demo group grants in Acme Corp (the seeded group rules). */
export const DEMO_SSO_RULES: readonly DemoSsoRule[] = [
  { group: "platform-admins", orgRole: "ORG_ADMIN", teamName: "Acme Platform", teamRole: "ADMIN" },
  { group: "ml-team", orgRole: "MEMBER", teamName: "Acme Research", teamRole: "KEY_CREATOR" },
  { group: "ml-readers", orgRole: "MEMBER", teamName: "Acme Research", teamRole: "READ_ONLY" },
];

const orgRoleText = { ORG_ADMIN: "org admin", MEMBER: "member" } as const;
const teamRoleText = {
  ADMIN: "admin",
  KEY_CREATOR: "key creator",
  MEMBER: "member",
  READ_ONLY: "read-only member",
} as const;

/** "org admin of Acme Corp, Acme Platform admin, …" for the credentials file. */
export function demoLandsAs(
  person: IdpPerson,
  rules: readonly DemoSsoRule[] = DEMO_SSO_RULES,
): string {
  if (!person.emailVerified) return "refused: the IdP does not vouch for this email";
  const mine = rules.filter((r) => person.groups.includes(r.group));
  if (mine.length === 0) return `no group rule matches: an account with no membership`;
  const orgAdmin = mine.some((r) => r.orgRole === "ORG_ADMIN");
  const teams = mine
    .filter((r) => r.teamName)
    .map((r) => `${r.teamName} ${teamRoleText[r.teamRole ?? "MEMBER"]}`);
  return [
    `${orgRoleText[orgAdmin ? "ORG_ADMIN" : "MEMBER"]} of ${DEMO_SSO_ORGANIZATION}`,
    ...teams,
  ].join(", ");
}

/** Lines of the demo credentials file for the IdP's people. */
export function demoSsoCredentialLines(): string[] {
  return DEMO_PEOPLE.map(
    (p) =>
      `${p.email}  ${p.password}  (single sign-on, "Continue with single sign-on": ${demoLandsAs(p)})`,
  );
}

export type DemoSsoStart =
  { started: true; idp: IdentityProvider; providerId: string } | { started: false; reason: string };

export async function startDemoSso(deps: {
  db: Pick<Database, "prisma">;
  config: Pick<AppConfig, "publicUrl" | "host" | "port" | "secretsKey" | "demo">;
}): Promise<DemoSsoStart> {
  const { db, config } = deps;
  const secretsKey = config.secretsKey;
  // Client secrets are kept sealed; a demo on DATABASE_URL without GATEHOUSE_SECRETS_KEY has
  // no key to seal with, so it runs without single sign-on rather than not at all.
  if (!secretsKey) return { started: false, reason: "GATEHOUSE_SECRETS_KEY is unset" };
  let idp: IdentityProvider;
  try {
    idp = await startIdentityProvider({ port: config.demo.idpPort, people: [...DEMO_PEOPLE] });
  } catch (error) {
    // A taken port (another demo running) costs the demo its single sign-on, not its start.
    return { started: false, reason: `the IdP could not listen: ${(error as Error).message}` };
  }
  const clientSecret = crypto.randomBytes(24).toString("base64url");
  const publicUrl = publicUrlOf(config);
  idp.addClient({
    clientId: DEMO_SSO_CLIENT_ID,
    clientSecret,
    redirectUris: [`${publicUrl}${SSO_CALLBACK_PATH}`],
    backchannelLogoutUri: `${publicUrl}${SSO_BACKCHANNEL_LOGOUT_PATH}`,
  });
  const result = await ensureDemoIdentityProvider(db, {
    organizationName: DEMO_SSO_ORGANIZATION,
    domain: DEMO_SSO_DOMAIN,
    issuer: idp.issuer,
    clientId: DEMO_SSO_CLIENT_ID,
    sealClientSecret: (providerId) =>
      sealSecret(secretsKey, clientSecret, idpSecretBinding(providerId)),
    rules: DEMO_SSO_RULES,
  });
  if (result.outcome === "skipped") {
    await idp.close();
    return { started: false, reason: result.reason };
  }
  return { started: true, idp, providerId: result.providerId };
}
