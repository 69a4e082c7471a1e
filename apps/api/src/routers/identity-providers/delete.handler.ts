import { deleteIdentityProvider, transaction } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { authedProcedure } from "../../trpc/init.ts";
import { ZIdentityProvidersDeleteInput, ZIdentityProvidersDeleteOutput } from "./delete.schema.ts";
import { managedProvider } from "./shared.ts";

/**
 * identityProviders.delete: its rules and links go; the memberships its rules made stay (as
 * hand-made ones would, with no rule), and sessions it started stay until they end.
 */
export const remove = authedProcedure
  .input(ZIdentityProvidersDeleteInput)
  .output(ZIdentityProvidersDeleteOutput)
  .mutation(({ ctx, input }) =>
    transaction(ctx.db, async (tx) => {
      const owner = await managedProvider(tx, ctx.actor, input.providerId);
      await deleteIdentityProvider(tx, input.providerId);
      await writeAudit(tx, ctx, {
        action: "identityProvider.delete",
        targetType: "identityProvider",
        targetId: input.providerId,
        organizationId: owner.organizationId,
      });
      return { ok: true as const };
    }),
  );
