/**
 * Who may manage which identity provider: a global one (no organization) only system
 * administrators; an organization's own, that organization's admins (and system admins).
 * A provider the caller may not manage is "not found", like an unknown id.
 */
import { DomainError, forbidden, isOrgAdmin, notFound, type Actor } from "@gatehouse/core";
import { findProviderOwner, type Tx } from "@gatehouse/db";
import type { AppConfig } from "../../config.ts";
import { idpSecretBinding, sealSecret } from "../../secrets.ts";

export function mayManageProviders(actor: Actor, organizationId: string | null): boolean {
  return organizationId === null ? actor.isSystemAdmin : isOrgAdmin(actor, organizationId);
}

export function assertMayCreateProvider(actor: Actor, organizationId: string | null): void {
  if (!mayManageProviders(actor, organizationId)) {
    throw forbidden(
      organizationId === null
        ? "System administrators only (organization administrators add a provider for their organization)"
        : "Organization administrators only",
    );
  }
}

/** The provider's organization, when the caller may manage it; NOT_FOUND otherwise. */
export async function managedProvider(
  tx: Tx,
  actor: Actor,
  providerId: string,
): Promise<{ organizationId: string | null }> {
  const owner = await findProviderOwner(tx, providerId);
  if (!owner || !mayManageProviders(actor, owner.organizationId))
    throw notFound("Identity provider");
  return owner;
}

/**
 * The client secret sealed for storage, bound to its provider. Without an operator key
 * (GATEHOUSE_SECRETS_KEY; the embedded mode makes one) it cannot be kept: refused.
 */
export function sealClientSecret(
  config: Pick<AppConfig, "secretsKey">,
  providerId: string,
  clientSecret: string,
): string {
  if (!config.secretsKey) {
    throw new DomainError(
      "PRECONDITION_FAILED",
      "Client secrets are stored sealed: set GATEHOUSE_SECRETS_KEY (32 bytes) first",
      { field: "clientSecret" },
    );
  }
  return sealSecret(config.secretsKey, clientSecret, idpSecretBinding(providerId));
}

export const domainTaken = (domain: string) =>
  new DomainError(
    "CONFLICT",
    `The domain ${domain} is already served by another identity provider`,
    {
      field: "domains",
    },
  );
