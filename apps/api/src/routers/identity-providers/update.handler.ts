import { transaction, updateIdentityProvider } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { authedProcedure } from "../../trpc/init.ts";
import { ZIdentityProvidersUpdateInput, ZIdentityProvidersUpdateOutput } from "./update.schema.ts";
import { domainTaken, managedProvider, sealClientSecret } from "./shared.ts";

/**
 * identityProviders.update. Its discovered configuration is cached by (id, updatedAt), so
 * the next sign-in discovers again.
 */
export const update = authedProcedure
  .input(ZIdentityProvidersUpdateInput)
  .output(ZIdentityProvidersUpdateOutput)
  .mutation(({ ctx, input }) =>
    transaction(ctx.db, async (tx) => {
      const owner = await managedProvider(tx, ctx.actor, input.providerId);
      const { providerId, clientSecret, ...fields } = input;
      const result = await updateIdentityProvider(tx, providerId, {
        ...fields,
        clientSecretSealed:
          clientSecret === undefined
            ? undefined
            : sealClientSecret(ctx.config, providerId, clientSecret),
      });
      if (result.outcome === "domainTaken") throw domainTaken(result.domain);
      await writeAudit(tx, ctx, {
        action: "identityProvider.update",
        targetType: "identityProvider",
        targetId: providerId,
        organizationId: owner.organizationId,
        details: {
          ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
          // Only that it changed, never the value.
          ...(clientSecret !== undefined ? { clientSecretChanged: true } : {}),
        },
      });
      return { id: providerId };
    }),
  );
