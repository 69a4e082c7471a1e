/**
 * The browser tests' backend, started by Playwright (webServer): a fresh database
 * (in-memory PGlite, or a new database on GATEHOUSE_TEST_PG_URL / DATABASE_URL's server),
 * the LiteLLM contract server, the local OpenID provider (Acme's identity provider), fixture
 * data with known passwords, the job worker, the API serving the built SPA (apps/web/dist)
 * on GATEHOUSE_E2E_PORT, and an SMTP receiver the worker sends mail to (e2e/mailbox.ts: the
 * specs read the mails from a file).
 */
import fs from "node:fs";
import path from "node:path";
import {
  loadConfig,
  startHttpServer,
  startWorker,
  syncRegionSpend,
  systemClock,
  workerPolicy,
} from "@gatehouse/api";
import { litellmTeamId } from "@gatehouse/core";
import { LiteLLMClient } from "@gatehouse/litellm";
import { createTestDatabase } from "@gatehouse/db/testing";
import { startIdentityProvider } from "@gatehouse/identity-provider";
import { startContractServer } from "@gatehouse/litellm/contract-server";
import { pino } from "pino";
import { hashPassword } from "../../api/src/auth/password.ts";
import {
  entitlementsKeyName,
  leaverKeyName,
  ownerLeftKeyName,
  sandboxBlockNote,
  serviceTokenName,
  FILLER_TEAMS,
  keyboardKeys,
  orgs,
  PASSWORD,
  productNames,
  regionName,
  spendFixture,
  spendTeam,
  sso,
  teams,
  users,
} from "./fixtures.ts";
import { startMailbox } from "./mailbox.ts";
import { startWebhookReceiver } from "./webhook-receiver.ts";

const webDir = path.resolve(import.meta.dirname, "..");
const port = Number(process.env.GATEHOUSE_E2E_PORT ?? 4173);
const MASTER_KEY = "sk-e2e-master-key";
const DAY = 86_400_000;

// A fresh database on the test server when there is one; never the database it names.
const serverUrl = process.env.GATEHOUSE_TEST_PG_URL || process.env.DATABASE_URL || null;

const dist = path.join(webDir, "dist");
if (!fs.existsSync(path.join(dist, "index.html"))) {
  throw new Error(
    `no built web app in ${dist}: run \`pnpm --filter @gatehouse/web build\` first (scripts/e2e.mjs does)`,
  );
}

const logger = pino({ level: process.env.GATEHOUSE_E2E_LOG ?? "warn" });

// Everything started so far, stopped in reverse order. Signal handlers come first so that
// Playwright stopping us mid-start still drops the test database.
const stoppers: Array<() => Promise<unknown>> = [];
let stopping = false;
async function stop(code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const fn of stoppers.reverse())
    await fn().catch((error: unknown) => console.error("e2e: stop failed", error));
  process.exit(code);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());

const db = await createTestDatabase({ poolMax: 8, serverUrl });
stoppers.push(() => db.close());
const litellm = await startContractServer({ port: 0, masterKey: MASTER_KEY });
stoppers.push(() => litellm.stop());
const idp = await startIdentityProvider({
  people: [{ ...sso.person, emailVerified: true, groups: [sso.group] }],
});
stoppers.push(() => idp.close());
const now = Date.now();

async function seed(): Promise<void> {
  const passwordHash = await hashPassword(PASSWORD);
  const p = db.prisma;
  const u: Record<keyof typeof users, string> = {} as Record<keyof typeof users, string>;
  for (const [key, user] of Object.entries(users) as Array<
    [keyof typeof users, (typeof users)[keyof typeof users]]
  >) {
    const created = await p.user.create({
      data: { email: user.email, name: user.name, passwordHash, isSystemAdmin: key === "admin" },
    });
    u[key] = created.id;
  }
  const acme = await p.organization.create({ data: { name: orgs.acme } });
  const globex = await p.organization.create({ data: { name: orgs.globex } });
  await p.organizationMember.createMany({
    data: [
      { organizationId: acme.id, userId: u.orgAdmin, role: "ORG_ADMIN" },
      { organizationId: acme.id, userId: u.member, role: "MEMBER" },
      { organizationId: acme.id, userId: u.alice, role: "MEMBER" },
      { organizationId: acme.id, userId: u.leaver, role: "MEMBER" },
      { organizationId: acme.id, userId: u.spendAdmin, role: "MEMBER" },
      { organizationId: globex.id, userId: u.bob, role: "MEMBER" },
      // seedThroughApi adds Bob to Acme Platform: teams.addMember wants the person in the
      // team's organization first.
      { organizationId: acme.id, userId: u.bob, role: "MEMBER" },
    ],
  });
  const team = (
    name: string,
    organizationId: string | null,
    extra: { createdDaysAgo?: number; alwaysFree?: boolean } = {},
  ) =>
    p.team.create({
      data: {
        name,
        organizationId,
        alwaysFree: extra.alwaysFree ?? false,
        createdAt: new Date(now - (extra.createdDaysAgo ?? 1) * DAY),
        lastPaymentAt: null,
      },
    });
  const t = {
    acmePlatform: await team(teams.acmePlatform, acme.id, { createdDaysAgo: 120 }),
    acmeResearch: await team(teams.acmeResearch, acme.id, { createdDaysAgo: 10 }),
    acmeData: await team(teams.acmeData, acme.id, { createdDaysAgo: 5 }),
    acmeOps: await team(teams.acmeOps, acme.id, { createdDaysAgo: 4, alwaysFree: true }),
    globexSearch: await team(teams.globexSearch, globex.id, { createdDaysAgo: 3 }),
    // Created long ago, never paid, no product: the expired badge.
    globexAds: await team(teams.globexAds, globex.id, { createdDaysAgo: 90 }),
    internal: await team(teams.internal, null, { createdDaysAgo: 200, alwaysFree: true }),
    mergeTarget: await team(teams.mergeTarget, null, { createdDaysAgo: 2 }),
    mergeSource: await team(teams.mergeSource, null, { createdDaysAgo: 2 }),
    entitlements: await team(teams.entitlements, null, { createdDaysAgo: 1 }),
    keyboardTarget: await team(teams.keyboardTarget, null, { createdDaysAgo: 1 }),
    keyboardSource: await team(teams.keyboardSource, null, { createdDaysAgo: 1 }),
    acmeSandbox: await team(teams.acmeSandbox, acme.id, { createdDaysAgo: 5 }),
  };
  for (let i = 1; i <= FILLER_TEAMS; i++) {
    await team(`Globex Batch ${String(i).padStart(2, "0")}`, globex.id, { createdDaysAgo: 20 + i });
  }
  await p.teamMember.createMany({
    data: [
      { teamId: t.acmePlatform.id, userId: u.member, role: "MEMBER" },
      { teamId: t.acmePlatform.id, userId: u.alice, role: "ADMIN" },
      { teamId: t.acmeResearch.id, userId: u.alice, role: "KEY_CREATOR" },
      { teamId: t.acmeResearch.id, userId: u.spendAdmin, role: "ADMIN" },
      { teamId: t.acmeData.id, userId: u.expiring, role: "MEMBER" },
      { teamId: t.globexSearch.id, userId: u.bob, role: "ADMIN" },
      { teamId: t.mergeTarget.id, userId: u.alice, role: "MEMBER" },
      { teamId: t.mergeTarget.id, userId: u.bob, role: "ADMIN" },
      { teamId: t.mergeSource.id, userId: u.alice, role: "ADMIN" },
      { teamId: t.mergeSource.id, userId: u.member, role: "KEY_CREATOR" },
      { teamId: t.acmeOps.id, userId: u.alice, role: "ADMIN" },
      { teamId: t.acmeOps.id, userId: u.leaver, role: "KEY_CREATOR" },
      { teamId: t.acmeSandbox.id, userId: u.member, role: "MEMBER" },
      { teamId: t.acmeSandbox.id, userId: u.leaver, role: "KEY_CREATOR" },
    ],
  });
  const pro = await p.product.create({
    data: { name: productNames.pro, renewalPeriodDays: 30, limits: { maxKeys: 50, rpmLimit: 600 } },
  });
  await p.product.create({
    data: { name: productNames.starter, renewalPeriodDays: 30, limits: { maxKeys: 5 } },
  });
  await p.teamProduct.create({ data: { teamId: t.acmePlatform.id, productId: pro.id } });
  const region = await p.region.create({
    data: { name: regionName, litellmBaseUrl: litellm.url, litellmMasterKey: MASTER_KEY },
  });
  await seedKeyAs(users.leaver.email, {
    teamId: t.acmeOps.id,
    name: leaverKeyName,
    regionId: region.id,
  });
  await seedKeyAs(users.leaver.email, {
    teamId: t.acmeSandbox.id,
    name: ownerLeftKeyName,
    regionId: region.id,
  });
  await seedThroughApi(region.id, { teamId: t.acmePlatform.id, userId: u.bob }, [
    [t.acmePlatform.id, "default"],
    [t.acmePlatform.id, "ci-pipeline"],
    [t.acmeResearch.id, "notebook"],
    [t.mergeTarget.id, "default"],
    [t.mergeTarget.id, "batch-jobs"],
    [t.mergeSource.id, "default"],
    [t.mergeSource.id, "experiments"],
    [t.entitlements.id, entitlementsKeyName],
    [t.keyboardTarget.id, keyboardKeys.target],
    [t.keyboardSource.id, keyboardKeys.source],
  ]);
  await seedForAccessibility(t.acmeSandbox.id, u.leaver);
  await seedSso(acme.id, t.acmeResearch.id);
}

/**
 * Acme's identity provider, configured as an org admin would (identityProviders.create and
 * setGroupRules), and Gatehouse registered as the IdP's client now that its port is known.
 */
async function seedSso(acmeId: string, teamId: string): Promise<void> {
  idp.addClient({
    clientId: sso.clientId,
    clientSecret: sso.clientSecret,
    redirectUris: [`${base}/auth/sso/callback`],
    backchannelLogoutUri: `${base}/auth/sso/backchannel-logout`,
  });
  const cookie = await apiLogin(users.orgAdmin.email);
  const created = await apiCall<{ id: string }>(cookie, "identityProviders.create", {
    organizationId: acmeId,
    issuer: idp.issuer,
    clientId: sso.clientId,
    clientSecret: sso.clientSecret,
    domains: [sso.domain],
    jitProvisioning: true,
  });
  await apiMutate(cookie, "identityProviders.setGroupRules", {
    providerId: created.id,
    rules: [
      { group: sso.group, organizationId: acmeId, orgRole: "MEMBER", teamId, teamRole: "MEMBER" },
    ],
  });
  await fetch(`${base}/trpc/auth.logout`, {
    method: "POST",
    headers: { "x-gatehouse-csrf": "1", cookie },
  });
}

/** A tRPC mutation as a signed-in account; throws with the response when it fails. */
async function apiMutate(cookie: string, path: string, input: unknown): Promise<void> {
  const res = await fetch(`${base}/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-gatehouse-csrf": "1", cookie },
    body: JSON.stringify(input),
  });
  if (!res.ok) throw new Error(`fixture ${path} failed: ${res.status} ${await res.text()}`);
}

/** A tRPC mutation's answer as a signed-in account; throws with the response when it fails. */
async function apiCall<T>(cookie: string, path: string, input: unknown): Promise<T> {
  const res = await fetch(`${base}/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-gatehouse-csrf": "1", cookie },
    body: JSON.stringify(input),
  });
  if (!res.ok) throw new Error(`fixture ${path} failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { result: { data: T } }).result.data;
}

/**
 * What the accessibility spec opens that no other fixture has, made as people would: the
 * blocked team (its key's creator is removed, so the key is "Owner left", then a system admin
 * blocks the team with a note) and a service token to revoke.
 */
async function seedForAccessibility(teamId: string, leaverId: string): Promise<void> {
  const cookie = await apiLogin(users.admin.email);
  await apiMutate(cookie, "teams.removeMember", { teamId, userId: leaverId });
  await apiMutate(cookie, "teams.block", { teamId, reason: sandboxBlockNote });
  await apiMutate(cookie, "serviceTokens.create", { name: serviceTokenName, scope: "admin" });
  await fetch(`${base}/trpc/auth.logout`, {
    method: "POST",
    headers: { "x-gatehouse-csrf": "1", cookie },
  });
}

/**
 * The spend spec's data: the proxy is told what the team spent (contract server state), a few
 * earlier daily points stand for past syncs, and one real spend sync reads today's figure.
 */
async function seedSpend(): Promise<void> {
  const p = db.prisma;
  const team = await p.team.findFirstOrThrow({ where: { name: spendTeam }, select: { id: true } });
  const region = await p.region.findFirstOrThrow({
    where: { name: regionName },
    select: { id: true, name: true },
  });
  const told = litellm.state.setTeamSpend(litellmTeamId(region.name, team.id), {
    spend: spendFixture.spendUsd,
    maxBudget: spendFixture.budgetUsd,
    budgetResetAt: spendFixture.resetAt,
  });
  if (!told) throw new Error(`the spend team ${spendTeam} does not exist on the contract server`);
  const dayStart = Math.floor(Date.now() / DAY) * DAY;
  const earlier: Array<[number, number]> = [
    [5, 10],
    [3, 22],
    [1, 31],
  ];
  await p.teamSpendDaily.createMany({
    data: earlier.map(([daysAgo, usd]) => ({
      teamId: team.id,
      regionId: region.id,
      day: new Date(dayStart - daysAgo * DAY),
      spendUsd: usd,
      asOf: new Date(dayStart - daysAgo * DAY + 3_600_000),
    })),
  });
  await syncRegionSpend({
    db,
    client: new LiteLLMClient({ baseUrl: litellm.url, masterKey: MASTER_KEY }),
    region,
    holder: "e2e",
  });
}

const base = `http://127.0.0.1:${port}`;

/** A session cookie for a seeded account, signed in through the API. */
async function apiLogin(email: string): Promise<string> {
  const login = await fetch(`${base}/trpc/auth.login`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-gatehouse-csrf": "1" },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  if (!login.ok || !cookie)
    throw new Error(`fixture login failed: ${login.status} ${await login.text()}`);
  return cookie;
}

/** A key created by `email` itself (its creator, and its owner on the proxy). */
async function seedKeyAs(
  email: string,
  key: { teamId: string; name: string; regionId: string },
): Promise<void> {
  const cookie = await apiLogin(email);
  const res = await fetch(`${base}/trpc/keys.create`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-gatehouse-csrf": "1", cookie },
    body: JSON.stringify(key),
  });
  if (!res.ok) throw new Error(`fixture key ${key.name} failed: ${res.status} ${await res.text()}`);
  await fetch(`${base}/trpc/auth.logout`, {
    method: "POST",
    headers: { "x-gatehouse-csrf": "1", cookie },
  });
}

/**
 * Keys exist in two places (our rows and LiteLLM): only the API creates both. A member is
 * added through the API too, so team pages have an audit trail to show.
 */
async function seedThroughApi(
  regionId: string,
  member: { teamId: string; userId: string },
  keys: Array<[string, string]>,
): Promise<void> {
  const cookie = await apiLogin(users.admin.email);
  for (const [teamId, name] of keys) {
    const res = await fetch(`${base}/trpc/keys.create`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-gatehouse-csrf": "1", cookie },
      body: JSON.stringify({ teamId, name, regionId }),
    });
    if (!res.ok) throw new Error(`fixture key ${name} failed: ${res.status} ${await res.text()}`);
  }
  const added = await fetch(`${base}/trpc/teams.addMember`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-gatehouse-csrf": "1", cookie },
    body: JSON.stringify({ ...member, role: "READ_ONLY" }),
  });
  if (!added.ok) throw new Error(`fixture member failed: ${added.status} ${await added.text()}`);
  await fetch(`${base}/trpc/auth.logout`, {
    method: "POST",
    headers: { "x-gatehouse-csrf": "1", cookie },
  });
}

const mailbox = await startMailbox(port);
stoppers.push(() => mailbox.close());

const webhookReceiver = await startWebhookReceiver(port);
stoppers.push(() => webhookReceiver.close());

const config = loadConfig({
  GATEHOUSE_SMTP_URL: mailbox.url,
  // The webhooks spec's receiver is plain http on loopback.
  GATEHOUSE_WEBHOOKS_ALLOW_HTTP: "1",
  PORT: String(port),
  HOST: "127.0.0.1",
  // The SSO redirect URI registered at the local IdP names this address.
  GATEHOUSE_PUBLIC_URL: base,
  // Identity providers' client secrets are stored sealed: a throwaway operator key.
  GATEHOUSE_SECRETS_KEY: "e2".repeat(32),
  GATEHOUSE_WEB_DIST: dist,
  GATEHOUSE_LOG_LEVEL: process.env.GATEHOUSE_E2E_LOG ?? "warn",
  // Specs sign in many times from one address within minutes.
  GATEHOUSE_LOGIN_MAX_PER_ACCOUNT: "1000",
  GATEHOUSE_LOGIN_MAX_PER_ADDRESS: "1000",
  // The spend spec's one sync runs explicitly after seeding (seedSpend), not on a timer.
  GATEHOUSE_SPEND_SYNC_INTERVAL_MS: "0",
});
const http = await startHttpServer(
  { db, config, clock: systemClock, logger },
  { port, host: "127.0.0.1" },
);
stoppers.push(() => http.stop(2000));

// The merge's LiteLLM sync, entitlement pushes and blocks run in the job worker, in this
// process: on the embedded database every process's connection would share one PGlite
// session, and the socket server interleaves concurrent connections' protocol messages.
const worker = startWorker({ db, logger }, workerPolicy(config));
stoppers.push(() => worker.stop());

try {
  await seed();
  // The jobs the seeding queued (teams, members, keys, entitlements) push each team's full
  // state to the proxy, budget included: they must be done before the spend fixture tells
  // the proxy its budget, or a late one overwrites it before the sync reads it.
  await worker.drained();
  await seedSpend();
  // The sync found the spend team past 50 and 75 % of its budget: the events' dispatch
  // (notifications, mails) runs before the specs start, so the bell has them on first load.
  worker.nudge();
  await worker.drained();
} catch (error) {
  console.error("e2e: seeding failed", error);
  await stop(1);
}
console.log(
  `e2e: Gatehouse ready on ${http.url} (database: ${db.backend}, LiteLLM contract server: ${litellm.url}, identity provider: ${idp.issuer})`,
);
