import { forbidden } from "@gatehouse/core";
import { listIdentityProviders } from "@gatehouse/db";
import { publicUrlOf } from "../../config.ts";
import { SSO_CALLBACK_PATH } from "../../auth/sso/paths.ts";
import { authedProcedure } from "../../trpc/init.ts";
import { toIso } from "../shared.schema.ts";
import { ZIdentityProvidersListInput, ZIdentityProvidersListOutput } from "./list.schema.ts";
import { mayManageProviders } from "./shared.ts";

/**
 * identityProviders.list: system admins see every provider (or one organization's); an
 * organization admin those of the organizations they administer. Never the client secret.
 */
export const list = authedProcedure
  .input(ZIdentityProvidersListInput)
  .output(ZIdentityProvidersListOutput)
  .query(async ({ ctx, input }) => {
    const { actor } = ctx;
    let scope: readonly string[] | null;
    if (input.organizationId) {
      if (!mayManageProviders(actor, input.organizationId))
        throw forbidden("Organization administrators only");
      scope = [input.organizationId];
    } else if (actor.isSystemAdmin) {
      scope = null;
    } else if (actor.adminOrgIds.length > 0) {
      scope = actor.adminOrgIds;
    } else {
      throw forbidden("Organization administrators only");
    }
    const providers = await listIdentityProviders(ctx.db, scope);
    const redirectUri = new URL(SSO_CALLBACK_PATH, publicUrlOf(ctx.config)).toString();
    return {
      items: providers.map((p) => ({
        id: p.id,
        organizationId: p.organizationId,
        organizationName: p.organizationName,
        issuer: p.issuer,
        clientId: p.clientId,
        domains: p.domains,
        jitProvisioning: p.jitProvisioning,
        groupsClaim: p.groupsClaim,
        redirectUri,
        groupRules: p.groupRules,
        createdAt: toIso(p.createdAt),
        updatedAt: toIso(p.updatedAt),
      })),
    };
  });
