/**
 * Demo data for a first start: three organizations, a dozen people covering every role,
 * fifteen teams (one without organization, one expired, one always free), products,
 * keys and an audit trail, so every screen has something to show.
 *
 * No password lives in code: each account gets a random one, returned to the caller to
 * print once. Seeding happens only on an empty `users` table, in one transaction, under
 * an advisory lock, so two instances starting together seed once.
 */
import crypto from "node:crypto";
import { normalizeEmail, renewalPeriodStart, ZProductLimits } from "@gatehouse/core";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { OrgRole, TeamProductStatus, TeamRole } from "../generated/prisma/enums.ts";
import { enqueueTeamStateJobs } from "../jobs/enqueue.ts";

export interface SeedDemoOptions {
  /** The application's password hasher (argon2id in the API); called once per account. */
  hashPassword: (plain: string) => Promise<string>;
  /** The region demo keys live in: normally the bundled LiteLLM contract test server. */
  region: { name: string; baseUrl: string; masterKey: string };
  /** Reference time for creation and payment dates. Default: now. */
  now?: Date;
}

export interface SeedCredential {
  email: string;
  password: string;
  /** What this account can do, for the start-up banner (e.g. "org admin of Acme Corp"). */
  role: string;
}

export type SeedDemoResult =
  | { seeded: false }
  | {
      seeded: true;
      credentials: SeedCredential[];
      counts: { organizations: number; users: number; teams: number; apiKeys: number };
    };

/** Arbitrary constant: "gatehouse demo seed" advisory lock. */
const SEED_LOCK_ID = 7_361_044_983;
const DAY_MS = 86_400_000;

interface DemoUser {
  key: string;
  email: string;
  name: string;
  role: string;
  isSystemAdmin?: boolean;
}

const demoUsers: DemoUser[] = [
  {
    key: "admin",
    email: "admin@gatehouse.example",
    name: "Gatehouse Admin",
    role: "system admin",
    isSystemAdmin: true,
  },
  { key: "ada", email: "Ada@Acme.example", name: "Ada Lovelace", role: "org admin of Acme Corp" },
  {
    key: "grace",
    email: "grace@globex.example",
    name: "Grace Hopper",
    role: "org admin of Globex",
  },
  {
    key: "alan",
    email: "alan@initech.example",
    name: "Alan Turing",
    role: "org admin of Initech; member of Acme Research",
  },
  {
    key: "linus",
    email: "linus@acme.example",
    name: "Linus Torvalds",
    role: "team admin of Acme Platform and Acme Data",
  },
  {
    key: "margaret",
    email: "margaret@acme.example",
    name: "Margaret Hamilton",
    role: "key creator in Acme Platform; member of Acme Research",
  },
  {
    key: "barbara",
    email: "barbara@acme.example",
    name: "Barbara Liskov",
    role: "member of Acme Platform and Acme Data",
  },
  {
    key: "ken",
    email: "ken@globex.example",
    name: "Ken Thompson",
    role: "team admin of Globex Search",
  },
  {
    key: "dennis",
    email: "dennis@globex.example",
    name: "Dennis Ritchie",
    role: "read-only in Globex Search and Globex Ads",
  },
  {
    key: "radia",
    email: "radia@initech.example",
    name: "Radia Perlman",
    role: "key creator in Initech Billing",
  },
  {
    key: "frances",
    email: "frances@initech.example",
    name: "Frances Allen",
    role: "team admin of Initech TPS; read-only in Initech Billing",
  },
  {
    key: "tim",
    email: "tim@freelance.example",
    name: "Tim Berners-Lee",
    role: "team admin of Independent Makers (no organization); member of Acme Research",
  },
];

const organizations = [
  { key: "acme", name: "Acme Corp" },
  { key: "globex", name: "Globex" },
  { key: "initech", name: "Initech" },
] as const;
type OrgKey = (typeof organizations)[number]["key"];

const orgMembers: Array<[OrgKey, string, OrgRole]> = [
  ["acme", "ada", "ORG_ADMIN"],
  ["acme", "linus", "MEMBER"],
  ["acme", "margaret", "MEMBER"],
  ["acme", "barbara", "MEMBER"],
  ["globex", "grace", "ORG_ADMIN"],
  ["globex", "ken", "MEMBER"],
  ["globex", "dennis", "MEMBER"],
  ["initech", "alan", "ORG_ADMIN"],
  ["initech", "radia", "MEMBER"],
  ["initech", "frances", "MEMBER"],
];

/**
 * Teams the demo's alerts are about on a first start: the one whose spend the demo proxy
 * reports near its budget (apps/api demo-spend.ts plants 88 % of its monthly budget, so the
 * 50 and 75 % thresholds are crossed on the first spend sync), and the one whose payment
 * runs out within a week (paid 25 days ago with a 30-day grace: blocked for expiry in 5
 * days, so the 7-day expiry warning is due).
 */
export const DEMO_TEAMS_OF_NOTE = {
  nearBudget: "Acme Platform",
  nearBudgetShare: 0.88,
  expiringSoon: "Globex Infra",
} as const;

interface DemoTeam {
  key: string;
  name: string;
  org: OrgKey | null;
  createdDaysAgo: number;
  /** null: never paid. */
  paidDaysAgo: number | null;
  alwaysFree?: boolean;
}

const demoTeams: DemoTeam[] = [
  { key: "acmePlatform", name: "Acme Platform", org: "acme", createdDaysAgo: 420, paidDaysAgo: 3 },
  { key: "acmeResearch", name: "Acme Research", org: "acme", createdDaysAgo: 300, paidDaysAgo: 12 },
  { key: "acmeData", name: "Acme Data", org: "acme", createdDaysAgo: 200, paidDaysAgo: 20 },
  { key: "acmeMobile", name: "Acme Mobile", org: "acme", createdDaysAgo: 14, paidDaysAgo: null },
  // The expired one: never paid, created 60 days ago, no active product.
  { key: "acmeLegacy", name: "Acme Legacy", org: "acme", createdDaysAgo: 60, paidDaysAgo: null },
  {
    key: "globexSearch",
    name: "Globex Search",
    org: "globex",
    createdDaysAgo: 365,
    paidDaysAgo: 5,
  },
  // Never paid and old, but an active product keeps it from expiring.
  { key: "globexAds", name: "Globex Ads", org: "globex", createdDaysAgo: 90, paidDaysAgo: null },
  // Expires within a week (DEMO_TEAMS_OF_NOTE.expiringSoon).
  { key: "globexInfra", name: "Globex Infra", org: "globex", createdDaysAgo: 150, paidDaysAgo: 25 },
  {
    key: "globexLabs",
    name: "Globex Labs",
    org: "globex",
    createdDaysAgo: 500,
    paidDaysAgo: null,
    alwaysFree: true,
  },
  {
    key: "initechBilling",
    name: "Initech Billing",
    org: "initech",
    createdDaysAgo: 250,
    paidDaysAgo: 8,
  },
  {
    key: "initechReports",
    name: "Initech Reports",
    org: "initech",
    createdDaysAgo: 120,
    paidDaysAgo: 29,
  },
  { key: "initechTps", name: "Initech TPS", org: "initech", createdDaysAgo: 180, paidDaysAgo: 10 },
  { key: "independent", name: "Independent Makers", org: null, createdDaysAgo: 45, paidDaysAgo: 2 },
  { key: "openSource", name: "Open Source Friends", org: null, createdDaysAgo: 30, paidDaysAgo: 1 },
  { key: "sandbox", name: "Sandbox", org: null, createdDaysAgo: 7, paidDaysAgo: null },
];

const teamMembers: Array<[string, string, TeamRole]> = [
  ["acmePlatform", "linus", "ADMIN"],
  ["acmePlatform", "margaret", "KEY_CREATOR"],
  ["acmePlatform", "barbara", "MEMBER"],
  ["acmeResearch", "ada", "ADMIN"],
  ["acmeResearch", "margaret", "MEMBER"],
  ["acmeResearch", "alan", "MEMBER"],
  ["acmeResearch", "tim", "MEMBER"],
  ["acmeData", "linus", "ADMIN"],
  ["acmeData", "barbara", "MEMBER"],
  ["acmeMobile", "ada", "ADMIN"],
  ["acmeLegacy", "ada", "ADMIN"],
  ["globexSearch", "ken", "ADMIN"],
  ["globexSearch", "dennis", "READ_ONLY"],
  ["globexAds", "grace", "ADMIN"],
  ["globexAds", "dennis", "READ_ONLY"],
  ["globexInfra", "grace", "ADMIN"],
  ["globexLabs", "ken", "KEY_CREATOR"],
  ["initechBilling", "alan", "ADMIN"],
  ["initechBilling", "radia", "KEY_CREATOR"],
  ["initechBilling", "frances", "READ_ONLY"],
  ["initechReports", "alan", "ADMIN"],
  ["initechTps", "frances", "ADMIN"],
  ["independent", "tim", "ADMIN"],
  ["openSource", "tim", "ADMIN"],
  ["sandbox", "admin", "ADMIN"],
];

const products = [
  {
    key: "starter",
    name: "Starter",
    renewalPeriodDays: 30,
    limits: {
      maxKeys: 5,
      maxBudgetUsd: 50,
      budgetDuration: "1mo",
      rpmLimit: 60,
      tpmLimit: 100_000,
      models: ["gpt-4o-mini"],
    },
  },
  {
    key: "pro",
    name: "Pro",
    renewalPeriodDays: 30,
    limits: {
      maxKeys: 50,
      maxBudgetUsd: 1000,
      budgetDuration: "1mo",
      rpmLimit: 600,
      tpmLimit: 1_000_000,
      models: ["gpt-4o", "gpt-4o-mini", "claude-sonnet"],
    },
  },
  {
    key: "enterprise",
    name: "Enterprise",
    renewalPeriodDays: 365,
    // Empty model list: every model (core ZProductLimits).
    limits: {
      maxKeys: 1000,
      maxBudgetUsd: 100000,
      budgetDuration: "1mo",
      rpmLimit: 10000,
      tpmLimit: null,
      models: [],
    },
  },
] as const;
type ProductKey = (typeof products)[number]["key"];

const teamProducts: Array<[string, ProductKey, TeamProductStatus]> = [
  ["acmePlatform", "pro", "ACTIVE"],
  ["globexSearch", "enterprise", "ACTIVE"],
  ["globexAds", "starter", "ACTIVE"],
  ["initechBilling", "starter", "ACTIVE"],
  ["initechTps", "starter", "CANCELLED"],
  // Attached when the team was created and never paid for: its 30-day period plus the
  // 30-day grace ran out today, so the demo shows a lapsed product ("lapsed on").
  ["acmeLegacy", "starter", "LAPSED"],
];

/** [team, key name, creator]. "production" in both Acme teams shows a merge conflict. */
const apiKeys: Array<[string, string, string]> = [
  ["acmePlatform", "production", "linus"],
  ["acmePlatform", "staging", "margaret"],
  ["acmeData", "production", "linus"],
  ["acmeData", "etl", "linus"],
  ["acmeResearch", "notebooks", "ada"],
  ["globexSearch", "search-api", "ken"],
  ["initechBilling", "billing-service", "radia"],
  ["independent", "hack-night", "tim"],
  // Margaret created it while she was in Acme Data and has left the team since: the demo
  // shows an "owner left" key (blocked) that an admin can transfer.
  ["acmeData", "old-pipeline", "margaret"],
];

/** Keys whose creator left the team ([team, key name]): blocked `owner_left`. */
const ownerLeftKeys: Array<[string, string]> = [["acmeData", "old-pipeline"]];

/** A manual block an organization admin placed, with the reason the UI shows. */
const manualTeamBlocks: Array<{ team: string; by: string; note: string }> = [
  { team: "globexAds", by: "grace", note: "Budget review with finance" },
];

/** A random password: 16 URL-safe characters, 96 bits. */
function randomPassword(): string {
  return crypto.randomBytes(12).toString("base64url");
}

export async function seedDemo(
  db: { prisma: PrismaClient },
  options: SeedDemoOptions,
): Promise<SeedDemoResult> {
  const { prisma } = db;
  // Cheap check first, so a normal start does not pay for a dozen argon2 hashes.
  if ((await prisma.user.count()) > 0) return { seeded: false };

  const now = options.now ?? new Date();
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const id = () => crypto.randomUUID();

  // Hashing is slow on purpose: done before the transaction, not while it holds locks.
  const accounts = await Promise.all(
    demoUsers.map(async (user) => {
      const password = randomPassword();
      return {
        ...user,
        id: id(),
        email: normalizeEmail(user.email),
        password,
        hash: await options.hashPassword(password),
      };
    }),
  );
  const userId = new Map(accounts.map((a) => [a.key, a.id]));
  const orgId = new Map(organizations.map((o) => [o.key, id()]));
  const teamId = new Map(demoTeams.map((t) => [t.key, id()]));
  const productId = new Map(products.map((p) => [p.key, id()]));
  const regionId = id();
  const teamOrg = new Map(demoTeams.map((t) => [t.key, t.org]));
  const ref = <K, V>(map: Map<K, V>, key: K): V => {
    const value = map.get(key);
    if (value === undefined) throw new Error(`seed data refers to unknown ${String(key)}`);
    return value;
  };
  const adminId = ref(userId, "admin");

  const seeded = await prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SEED_LOCK_ID})`;
      // Someone else may have seeded (or created an admin) since the first check.
      if ((await tx.user.count()) > 0) return false;

      await tx.organization.createMany({
        data: organizations.map((o, i) => ({
          id: ref(orgId, o.key),
          name: o.name,
          createdAt: daysAgo(600 - i * 30),
        })),
      });
      await tx.user.createMany({
        data: accounts.map((a, i) => ({
          id: a.id,
          email: a.email,
          name: a.name,
          passwordHash: a.hash,
          isSystemAdmin: a.isSystemAdmin ?? false,
          createdAt: daysAgo(600 - i * 10),
        })),
      });
      await tx.organizationMember.createMany({
        data: orgMembers.map(([org, user, role]) => ({
          organizationId: ref(orgId, org),
          userId: ref(userId, user),
          role,
        })),
      });
      await tx.team.createMany({
        data: demoTeams.map((t) => ({
          id: ref(teamId, t.key),
          name: t.name,
          organizationId: t.org ? ref(orgId, t.org) : null,
          alwaysFree: t.alwaysFree ?? false,
          lastPaymentAt: t.paidDaysAgo === null ? null : daysAgo(t.paidDaysAgo),
          createdAt: daysAgo(t.createdDaysAgo),
        })),
      });
      await tx.teamMember.createMany({
        data: teamMembers.map(([team, user, role]) => ({
          teamId: ref(teamId, team),
          userId: ref(userId, user),
          role,
        })),
      });
      await tx.region.create({
        data: {
          id: regionId,
          name: options.region.name,
          litellmBaseUrl: options.region.baseUrl,
          litellmMasterKey: options.region.masterKey,
        },
      });
      await tx.product.createMany({
        data: products.map((p) => ({
          id: ref(productId, p.key),
          name: p.name,
          renewalPeriodDays: p.renewalPeriodDays,
          // Parsed: the seed writes exactly the typed shape the API reads.
          limits: ZProductLimits.parse(p.limits),
        })),
      });
      const paidAt = (key: string): Date | null => {
        const days = demoTeams.find((t) => t.key === key)?.paidDaysAgo ?? null;
        return days === null ? null : daysAgo(days);
      };
      await tx.teamProduct.createMany({
        data: teamProducts.map(([team, product, status]) => {
          // A lapsed attachment dates from its team's creation (see teamProducts).
          const attachedAt =
            status === "LAPSED"
              ? daysAgo(demoTeams.find((t) => t.key === team)!.createdDaysAgo)
              : daysAgo(40);
          return {
            teamId: ref(teamId, team),
            productId: ref(productId, product),
            status,
            createdAt: attachedAt,
            cancelledAt: status === "CANCELLED" ? daysAgo(15) : null,
            lapsedAt: status === "LAPSED" ? now : null,
            // core renewalPeriodStart: the later of the team's last payment and the attachment.
            periodStart: renewalPeriodStart(attachedAt, paidAt(team)),
          };
        }),
      });
      await tx.teamBlock.createMany({
        data: manualTeamBlocks.map((b) => ({
          teamId: ref(teamId, b.team),
          reason: "manual",
          note: b.note,
          level: "organization",
          placedByUserId: ref(userId, b.by),
          createdAt: daysAgo(2),
        })),
      });
      // What the API queues when products are attached: every team's limits and block
      // state pushed to the region's proxy, so the proxy enforces what the UI shows.
      await enqueueTeamStateJobs(
        tx,
        demoTeams.map((t) => ref(teamId, t.key)),
      );
      // Rows only: the keys are not on the LiteLLM proxy (litellmKeyId null) and have no
      // secret anyone could use; real keys are created through LiteLLM by the API.
      await tx.apiKey.createMany({
        data: apiKeys.map(([team, name, creator], i) => ({
          teamId: ref(teamId, team),
          name,
          creatorId: ref(userId, creator),
          regionId,
          keyPrefix: `sk-demo${String(i + 1).padStart(2, "0")}…`,
        })),
      });
      const leftKeys = await tx.apiKey.findMany({
        where: {
          OR: ownerLeftKeys.map(([team, name]) => ({ teamId: ref(teamId, team), name })),
        },
        select: { id: true },
      });
      await tx.apiKeyBlock.createMany({
        data: leftKeys.map((k) => ({
          apiKeyId: k.id,
          reason: "owner_left",
          createdAt: daysAgo(3),
        })),
      });
      await tx.auditEvent.createMany({
        data: [
          {
            actorUserId: adminId,
            action: "seed.demo",
            targetType: "system",
            targetId: "demo",
            details: {
              organizations: organizations.length,
              users: accounts.length,
              teams: demoTeams.length,
            },
          },
          ...organizations.map((o) => ({
            actorUserId: adminId,
            action: "org.create",
            targetType: "organization",
            targetId: ref(orgId, o.key),
            organizationId: ref(orgId, o.key),
            details: { name: o.name, seed: true },
          })),
          ...demoTeams.map((t) => {
            const org = ref(teamOrg, t.key);
            return {
              actorUserId: adminId,
              action: "team.create",
              targetType: "team",
              targetId: ref(teamId, t.key),
              organizationId: org ? ref(orgId, org) : null,
              details: { name: t.name, seed: true },
              createdAt: daysAgo(t.createdDaysAgo),
            };
          }),
        ],
      });
      return true;
    },
    // PGlite is slower than a server, and a first start may be busy migrating.
    { maxWait: 15_000, timeout: 60_000 },
  );

  if (!seeded) return { seeded: false };
  return {
    seeded: true,
    credentials: accounts.map((a) => ({ email: a.email, password: a.password, role: a.role })),
    counts: {
      organizations: organizations.length,
      users: accounts.length,
      teams: demoTeams.length,
      apiKeys: apiKeys.length,
    },
  };
}

/** Names the seed uses, for tests and the start-up banner. */
export const demoSeedFacts = {
  expiredTeamName: "Acme Legacy",
  alwaysFreeTeamName: "Globex Labs",
  teamsWithoutOrganization: demoTeams.filter((t) => t.org === null).map((t) => t.name),
  systemAdminEmail: "admin@gatehouse.example",
} as const;
