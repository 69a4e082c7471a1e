/**
 * The SSO suites' world: a harness with a LiteLLM region and a worker, the local identity
 * provider behind its tampering proxy, an organization with two teams, and its provider
 * (created by the organization's admin over HTTP) with group rules:
 * - `eng`: the organization (MEMBER) and Platform as KEY_CREATOR;
 * - `platform-leads`: Platform as ADMIN (the higher role wins over `eng`);
 * - `research`: Research as MEMBER;
 * - `org-admins`: the organization as ORG_ADMIN.
 * Importing it registers the hooks for that world.
 */
import crypto from "node:crypto";
import type { IdpPerson } from "@gatehouse/identity-provider";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { startHarness, type SyncHarness } from "../support/harness.ts";
import type { Credentials, Out } from "../support/http.ts";
import * as fx from "../support/fixtures.ts";
import {
  SSO_CLIENT,
  ssoSignIn,
  startTestIdp,
  type SsoResult,
  type TestIdp,
} from "../support/sso.ts";

export const DOMAIN = "acme.test";
export const PASSWORD = "idp password of everyone";

export let h: SyncHarness;
export let test: TestIdp;
export let org: string;
export let platform: string;
export let research: string;
export let orgAdmin: { id: string; creds: Credentials };
export let providerId: string;

/** Everyone the provider knows; tests add more with `person`. */
const people: IdpPerson[] = [];

let seq = 0;
/** A new person at the provider (verified email at DOMAIN unless said otherwise). */
export function person(
  prefix: string,
  groups: string[],
  options: { emailVerified?: boolean } = {},
): IdpPerson {
  seq += 1;
  const sub = `${prefix}-${seq}-${crypto.randomUUID().slice(0, 8)}`;
  const made: IdpPerson = {
    sub,
    email: `${prefix}-${seq}@${DOMAIN}`,
    emailVerified: options.emailVerified ?? true,
    name: `${prefix} ${seq}`,
    password: PASSWORD,
    groups,
  };
  people.push(made);
  return made;
}

export const signIn = (
  who: IdpPerson,
  options?: Parameters<typeof ssoSignIn>[4],
): Promise<SsoResult> => ssoSignIn(h, test, who.email, PASSWORD, options);

export async function userIdOf(email: string): Promise<string | null> {
  const user = await h.db.prisma.user.findUnique({ where: { email }, select: { id: true } });
  return user?.id ?? null;
}

export async function me(creds: Credentials): Promise<number> {
  return (await h.query("auth.me", undefined, { credentials: creds })).status;
}

export async function auditOf(action: string, userId: string) {
  const events = await h.db.prisma.auditEvent.findMany({
    where: { action },
    orderBy: { createdAt: "asc" },
  });
  return events.filter(
    (e) =>
      e.targetId === userId ||
      e.actorUserId === userId ||
      (e.details as { userId?: string }).userId === userId,
  );
}

beforeAll(async () => {
  h = await startHarness({
    litellm: { regionName: "eu west", profile: "oss" },
    env: { GATEHOUSE_SECRETS_KEY: crypto.randomBytes(32).toString("hex") },
  });
  // The provider reads `people` as it is at start: the suites add theirs at import time.
  test = await startTestIdp(h, people);
  org = await fx.insertOrganization(h.db, "Acme");
  platform = await fx.insertTeam(h.db, { name: "Platform", organizationId: org });
  research = await fx.insertTeam(h.db, { name: "Research", organizationId: org });
  orgAdmin = await fx.insertUserWithSession(h, { email: "org-admin@acme-admins.test" });
  await fx.addOrgMember(h.db, org, orgAdmin.id, "ORG_ADMIN");
  ({ id: providerId } = await h.mutationOk<Out<"identityProviders.create">>(
    "identityProviders.create",
    {
      organizationId: org,
      issuer: test.issuer,
      clientId: SSO_CLIENT.clientId,
      clientSecret: SSO_CLIENT.clientSecret,
      domains: [DOMAIN.toUpperCase()],
      jitProvisioning: true,
    },
    orgAdmin.creds,
  ));
  await h.mutationOk(
    "identityProviders.setGroupRules",
    {
      providerId,
      rules: [
        { group: "eng", organizationId: org, teamId: platform, teamRole: "KEY_CREATOR" },
        { group: "platform-leads", organizationId: org, teamId: platform, teamRole: "ADMIN" },
        { group: "research", organizationId: org, teamId: research },
        { group: "org-admins", organizationId: org, orgRole: "ORG_ADMIN" },
      ],
    },
    orgAdmin.creds,
  );
});
afterAll(async () => {
  await test?.close();
  await h?.close();
});
beforeEach(async () => {
  test.proxy.tamper("none");
  await h.drain();
});
