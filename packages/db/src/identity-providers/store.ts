/**
 * Identity providers (OpenID Connect) and their group rules, as the settings procedures and
 * the relying party read and write them. The sealed client secret leaves this module only
 * through `findProviderForSignIn` (the relying party opens it); listings never select it.
 *
 * A domain belongs to one provider at most: writes that set domains take one advisory lock
 * (so two concurrent creations cannot both claim a domain) and check the others first.
 */
import type { OrgRole, TeamRole } from "@gatehouse/core";
import type { Database } from "../client.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import type { Tx } from "../transaction.ts";

export interface IdentityProviderRecord {
  id: string;
  organizationId: string | null;
  organizationName: string | null;
  issuer: string;
  clientId: string;
  domains: string[];
  jitProvisioning: boolean;
  groupsClaim: string;
  groupRules: GroupRuleRecord[];
  createdAt: Date;
  updatedAt: Date;
}

export interface GroupRuleRecord {
  id: string;
  group: string;
  organizationId: string;
  orgRole: OrgRole | null;
  teamId: string | null;
  teamName: string | null;
  teamRole: TeamRole | null;
}

/** What the relying party needs: the settings and the sealed secret. */
export interface ProviderForSignIn {
  id: string;
  organizationId: string | null;
  issuer: string;
  clientId: string;
  clientSecretSealed: string;
  domains: string[];
  jitProvisioning: boolean;
  groupsClaim: string;
  updatedAt: Date;
}

const publicSelect = {
  id: true,
  organizationId: true,
  issuer: true,
  clientId: true,
  domains: true,
  jitProvisioning: true,
  groupsClaim: true,
  createdAt: true,
  updatedAt: true,
  organization: { select: { name: true } },
  groupRules: {
    select: {
      id: true,
      group: true,
      organizationId: true,
      orgRole: true,
      teamId: true,
      teamRole: true,
      team: { select: { name: true } },
    },
    orderBy: [{ group: "asc" }, { id: "asc" }],
  },
} satisfies Prisma.IdentityProviderSelect;

type PublicRow = {
  id: string;
  organizationId: string | null;
  issuer: string;
  clientId: string;
  domains: string[];
  jitProvisioning: boolean;
  groupsClaim: string;
  createdAt: Date;
  updatedAt: Date;
  organization: { name: string } | null;
  groupRules: {
    id: string;
    group: string;
    organizationId: string;
    orgRole: OrgRole | null;
    teamId: string | null;
    teamRole: TeamRole | null;
    team: { name: string } | null;
  }[];
};

function toRecord(row: PublicRow): IdentityProviderRecord {
  const { organization, groupRules, ...rest } = row;
  return {
    ...rest,
    organizationName: organization?.name ?? null,
    groupRules: groupRules.map(({ team, ...r }) => ({ ...r, teamName: team?.name ?? null })),
  };
}

/** Serializes writes that set domains (see the module header). */
async function lockDomains(tx: Tx): Promise<void> {
  await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext('gatehouse.idp-domains'))`;
}

/** The first of `domains` another provider (not `exceptId`) already serves, if any. */
async function takenDomain(
  tx: Tx,
  domains: readonly string[],
  exceptId: string | null,
): Promise<string | null> {
  if (domains.length === 0) return null;
  const other = await tx.identityProvider.findFirst({
    where: { domains: { hasSome: [...domains] }, ...(exceptId ? { NOT: { id: exceptId } } : {}) },
    select: { domains: true },
  });
  return other ? (domains.find((d) => other.domains.includes(d)) ?? null) : null;
}

export type ProviderWriteResult =
  { outcome: "ok"; id: string } | { outcome: "domainTaken"; domain: string };

export interface NewIdentityProvider {
  /** Chosen by the caller: the sealed secret is bound to it. */
  id: string;
  organizationId: string | null;
  issuer: string;
  clientId: string;
  clientSecretSealed: string;
  domains: string[];
  jitProvisioning: boolean;
  groupsClaim: string;
  now: Date;
}

export async function insertIdentityProvider(
  tx: Tx,
  provider: NewIdentityProvider,
): Promise<ProviderWriteResult> {
  await lockDomains(tx);
  const taken = await takenDomain(tx, provider.domains, null);
  if (taken) return { outcome: "domainTaken", domain: taken };
  const { now, ...data } = provider;
  await tx.identityProvider.create({ data: { ...data, createdAt: now, updatedAt: now } });
  return { outcome: "ok", id: provider.id };
}

export interface IdentityProviderChanges {
  issuer?: string | undefined;
  clientId?: string | undefined;
  clientSecretSealed?: string | undefined;
  domains?: string[] | undefined;
  jitProvisioning?: boolean | undefined;
  groupsClaim?: string | undefined;
}

/** Writes the given fields (an undefined one stays as it is). */
export async function updateIdentityProvider(
  tx: Tx,
  id: string,
  changes: IdentityProviderChanges,
): Promise<ProviderWriteResult> {
  if (changes.domains) {
    await lockDomains(tx);
    const taken = await takenDomain(tx, changes.domains, id);
    if (taken) return { outcome: "domainTaken", domain: taken };
  }
  const data = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  await tx.identityProvider.update({ where: { id }, data });
  return { outcome: "ok", id };
}

/**
 * Deletes a provider; its rules, identities and sign-ins under way go with it (cascade), and
 * the memberships its rules made stay, as hand-made ones would (their rule is set null).
 */
export async function deleteIdentityProvider(tx: Tx, id: string): Promise<void> {
  await tx.identityProvider.delete({ where: { id } });
}

/** Whose provider it is (undefined: no such provider; null: a global one). */
export async function findProviderOwner(
  db: Pick<Database, "prisma"> | Tx,
  id: string,
): Promise<{ organizationId: string | null } | undefined> {
  const client = "prisma" in db ? db.prisma : db;
  const row = await client.identityProvider.findUnique({
    where: { id },
    select: { organizationId: true },
  });
  return row ?? undefined;
}

/** Providers with their rules: all of them (null) or those of these organizations. */
export async function listIdentityProviders(
  db: Pick<Database, "prisma">,
  organizationIds: readonly string[] | null,
): Promise<IdentityProviderRecord[]> {
  const rows = await db.prisma.identityProvider.findMany({
    where: organizationIds ? { organizationId: { in: [...organizationIds] } } : {},
    select: publicSelect,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: 500,
  });
  return rows.map(toRecord);
}

const signInSelect = {
  id: true,
  organizationId: true,
  issuer: true,
  clientId: true,
  clientSecretSealed: true,
  domains: true,
  jitProvisioning: true,
  groupsClaim: true,
  updatedAt: true,
} as const;

export function findProviderForSignIn(
  db: Pick<Database, "prisma">,
  id: string,
): Promise<ProviderForSignIn | null> {
  return db.prisma.identityProvider.findUnique({ where: { id }, select: signInSelect });
}

/** The provider serving this (normalized) domain, if any (the GIN index on domains). */
export function findProviderByDomain(
  db: Pick<Database, "prisma">,
  domain: string,
): Promise<ProviderForSignIn | null> {
  return db.prisma.identityProvider.findFirst({
    where: { domains: { has: domain } },
    select: signInSelect,
  });
}

export interface NewGroupRule {
  group: string;
  organizationId: string;
  orgRole: OrgRole | null;
  teamId: string | null;
  teamRole: TeamRole | null;
}

/**
 * The teams among `teamIds` with their organization (null: a team of no organization), so
 * the caller can check each rule's team belongs to the rule's organization.
 */
export async function teamOrganizations(
  tx: Tx,
  teamIds: readonly string[],
): Promise<Map<string, string | null>> {
  if (teamIds.length === 0) return new Map();
  const teams = await tx.team.findMany({
    where: { id: { in: [...teamIds] } },
    select: { id: true, organizationId: true },
  });
  return new Map(teams.map((t) => [t.id, t.organizationId]));
}

/** Which of these organizations exist. */
export async function existingOrganizations(
  tx: Tx,
  organizationIds: readonly string[],
): Promise<Set<string>> {
  if (organizationIds.length === 0) return new Set();
  const orgs = await tx.organization.findMany({
    where: { id: { in: [...organizationIds] } },
    select: { id: true },
  });
  return new Set(orgs.map((o) => o.id));
}

/**
 * Replaces a provider's rules with `rules`. A rule identical to one it had (same group,
 * organization, roles and team) keeps its id, so the memberships it made still name it;
 * the others are deleted (their memberships keep source SSO with no rule: the next sign-in
 * of the person removes them unless another rule grants them). Returns the rule ids.
 */
export async function replaceGroupRules(
  tx: Tx,
  providerId: string,
  rules: readonly NewGroupRule[],
  now: Date,
): Promise<{ kept: number; added: number; removed: number }> {
  await tx.$queryRaw`SELECT id FROM identity_providers WHERE id = ${providerId}::uuid FOR UPDATE`;
  const existing = await tx.identityProviderGroupRule.findMany({ where: { providerId } });
  const keyOf = (r: NewGroupRule) =>
    JSON.stringify([r.group, r.organizationId, r.orgRole, r.teamId, r.teamRole]);
  const byKey = new Map(existing.map((r) => [keyOf(r), r.id]));
  const keep = new Set<string>();
  const toAdd: NewGroupRule[] = [];
  for (const rule of rules) {
    const id = byKey.get(keyOf(rule));
    if (id && !keep.has(id)) keep.add(id);
    else toAdd.push(rule);
  }
  const removed = existing.filter((r) => !keep.has(r.id)).map((r) => r.id);
  if (removed.length)
    await tx.identityProviderGroupRule.deleteMany({ where: { id: { in: removed } } });
  if (toAdd.length)
    await tx.identityProviderGroupRule.createMany({
      data: toAdd.map((r) => ({ ...r, providerId, createdAt: now })),
    });
  await tx.identityProvider.update({ where: { id: providerId }, data: { updatedAt: now } });
  return { kept: keep.size, added: toAdd.length, removed: removed.length };
}

/** A provider's rules (the group sync's input). */
export async function providerGroupRules(
  tx: Tx,
  providerId: string,
): Promise<Array<NewGroupRule & { id: string }>> {
  return tx.identityProviderGroupRule.findMany({
    where: { providerId },
    select: {
      id: true,
      group: true,
      organizationId: true,
      orgRole: true,
      teamId: true,
      teamRole: true,
    },
    orderBy: { createdAt: "asc" },
  });
}

/**
 * The providers with this issuer (a back-channel logout token names its issuer), with or
 * without a trailing slash (the configured one may differ from the provider's by that).
 */
export function findProvidersByIssuer(
  db: Pick<Database, "prisma">,
  issuer: string,
): Promise<ProviderForSignIn[]> {
  const bare = issuer.replace(/\/+$/, "");
  return db.prisma.identityProvider.findMany({
    where: { issuer: { in: [...new Set([issuer, bare, `${bare}/`])] } },
    select: signInSelect,
    take: 50,
  });
}
