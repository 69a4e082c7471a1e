import crypto from "node:crypto";
import { insertIdentityProvider, organizationExists, transaction } from "@gatehouse/db";
import { notFound } from "@gatehouse/core";
import { writeAudit } from "../../audit/write.ts";
import { authedProcedure } from "../../trpc/init.ts";
import { ZIdentityProvidersCreateInput, ZIdentityProvidersCreateOutput } from "./create.schema.ts";
import { assertMayCreateProvider, domainTaken, sealClientSecret } from "./shared.ts";

/** identityProviders.create: a global provider (system admins) or an organization's own. */
export const create = authedProcedure
  .input(ZIdentityProvidersCreateInput)
  .output(ZIdentityProvidersCreateOutput)
  .mutation(({ ctx, input }) => {
    const organizationId = input.organizationId ?? null;
    assertMayCreateProvider(ctx.actor, organizationId);
    const id = crypto.randomUUID();
    const clientSecretSealed = sealClientSecret(ctx.config, id, input.clientSecret);
    return transaction(ctx.db, async (tx) => {
      if (organizationId && !(await organizationExists(tx, organizationId)))
        throw notFound("Organization", { field: "organizationId" });
      const result = await insertIdentityProvider(tx, {
        id,
        organizationId,
        issuer: input.issuer,
        clientId: input.clientId,
        clientSecretSealed,
        domains: input.domains,
        jitProvisioning: input.jitProvisioning,
        groupsClaim: input.groupsClaim ?? "groups",
        now: ctx.clock.now(),
      });
      if (result.outcome === "domainTaken") throw domainTaken(result.domain);
      // Never the secret: the event names what was set.
      await writeAudit(tx, ctx, {
        action: "identityProvider.create",
        targetType: "identityProvider",
        targetId: id,
        organizationId,
        details: {
          issuer: input.issuer,
          clientId: input.clientId,
          domains: input.domains,
          jitProvisioning: input.jitProvisioning,
          groupsClaim: input.groupsClaim ?? "groups",
        },
      });
      return { id };
    });
  });
