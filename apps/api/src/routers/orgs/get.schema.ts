import { z } from "zod";
import { ZDateTime, ZId } from "../shared.schema.ts";
import { ZOrgRole, ZOrganization } from "./shared.schema.ts";

export const ZOrgsGetInput = z.strictObject({ organizationId: ZId });

export const ZOrgsGetOutput = ZOrganization.extend({
  members: z.array(
    z.object({
      userId: ZId,
      email: z.string(),
      name: z.string(),
      role: ZOrgRole,
      isActive: z.boolean(),
      /** MANUAL: added by hand; SSO: by a single sign-on group rule (kept in sync). */
      source: z.enum(["MANUAL", "SSO"]),
    }),
  ),
  /** Members (but system admins) sign in only by single sign-on. */
  ssoEnforced: z.boolean(),
  /** Its teams' latest spend summed (USD; null while none was read) and the oldest reading in it. */
  spend: z.object({ totalUsd: z.number().nullable(), asOf: ZDateTime.nullable() }),
});
