/**
 * The demo's single sign-on: one organization's identity provider (the bundled local OpenID
 * provider) with group rules, made at the first start and kept pointing at this run's IdP on
 * every later one. Idempotent: the provider is found by the domain it serves; an existing
 * one keeps its rules (an admin may have edited them) and gets this run's issuer and secret.
 */
import crypto from "node:crypto";
import type { OrgRole, TeamRole } from "@gatehouse/core";
import type { Database } from "../client.ts";
import { insertIdentityProvider, replaceGroupRules } from "../identity-providers/store.ts";
import { transaction } from "../transaction.ts";

export interface DemoSsoRule {
  group: string;
  orgRole: OrgRole;
  /** A team of the organization, by name. */
  teamName?: string;
  teamRole?: TeamRole;
}

export interface DemoSsoOptions {
  organizationName: string;
  domain: string;
  issuer: string;
  clientId: string;
  /** The client secret sealed for the provider's id (the API's sealing, bound to the id). */
  sealClientSecret: (providerId: string) => string;
  rules: readonly DemoSsoRule[];
  now?: Date;
}

export type DemoSsoResult =
  { outcome: "created" | "updated"; providerId: string } | { outcome: "skipped"; reason: string };

export async function ensureDemoIdentityProvider(
  db: Pick<Database, "prisma">,
  options: DemoSsoOptions,
): Promise<DemoSsoResult> {
  const now = options.now ?? new Date();
  return transaction(db, async (tx) => {
    const organization = await tx.organization.findUnique({
      where: { name: options.organizationName },
      select: { id: true },
    });
    if (!organization)
      return { outcome: "skipped", reason: `no organization ${options.organizationName}` };
    const existing = await tx.identityProvider.findFirst({
      where: { domains: { has: options.domain } },
      select: { id: true },
    });
    if (existing) {
      await tx.identityProvider.update({
        where: { id: existing.id },
        data: {
          issuer: options.issuer,
          clientId: options.clientId,
          clientSecretSealed: options.sealClientSecret(existing.id),
          updatedAt: now,
        },
      });
      return { outcome: "updated", providerId: existing.id };
    }
    const teams = await tx.team.findMany({
      where: { organizationId: organization.id },
      select: { id: true, name: true },
    });
    const teamId = new Map(teams.map((t) => [t.name, t.id]));
    const id = crypto.randomUUID();
    const inserted = await insertIdentityProvider(tx, {
      id,
      organizationId: organization.id,
      issuer: options.issuer,
      clientId: options.clientId,
      clientSecretSealed: options.sealClientSecret(id),
      domains: [options.domain],
      jitProvisioning: true,
      groupsClaim: "groups",
      now,
    });
    if (inserted.outcome === "domainTaken")
      return { outcome: "skipped", reason: `domain ${options.domain} is taken` };
    await replaceGroupRules(
      tx,
      id,
      options.rules.map((rule) => {
        const team = rule.teamName ? teamId.get(rule.teamName) : undefined;
        return {
          group: rule.group,
          organizationId: organization.id,
          orgRole: rule.orgRole,
          teamId: team ?? null,
          teamRole: team ? (rule.teamRole ?? "MEMBER") : null,
        };
      }),
      now,
    );
    return { outcome: "created", providerId: id };
  });
}
