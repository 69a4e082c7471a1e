import { z } from "zod";
import { ZId } from "../shared.schema.ts";
import { ZClientId, ZClientSecret, ZDomains, ZGroupsClaim, ZIssuer } from "./shared.schema.ts";

export const ZIdentityProvidersCreateInput = z.strictObject({
  /** Absent: a global provider (system administrators only). */
  organizationId: ZId.optional(),
  issuer: ZIssuer,
  clientId: ZClientId,
  clientSecret: ZClientSecret,
  domains: ZDomains,
  jitProvisioning: z.boolean(),
  groupsClaim: ZGroupsClaim.optional(),
});

export const ZIdentityProvidersCreateOutput = z.object({ id: ZId });
