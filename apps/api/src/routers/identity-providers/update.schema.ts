import { z } from "zod";
import { ZId } from "../shared.schema.ts";
import { ZClientId, ZClientSecret, ZDomains, ZGroupsClaim, ZIssuer } from "./shared.schema.ts";

/** Fields left out stay as they are; a new client secret replaces the old one. */
export const ZIdentityProvidersUpdateInput = z.strictObject({
  providerId: ZId,
  issuer: ZIssuer.optional(),
  clientId: ZClientId.optional(),
  clientSecret: ZClientSecret.optional(),
  domains: ZDomains.optional(),
  jitProvisioning: z.boolean().optional(),
  groupsClaim: ZGroupsClaim.optional(),
});

export const ZIdentityProvidersUpdateOutput = z.object({ id: ZId });
