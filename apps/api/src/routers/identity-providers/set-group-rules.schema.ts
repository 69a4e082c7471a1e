import { ZOrgRole, ZTeamRole } from "@gatehouse/core";
import { z } from "zod";
import { ZId } from "../shared.schema.ts";

export const ZGroupRuleInput = z
  .strictObject({
    /** The group's name as the provider puts it in the groups claim. */
    group: z.string().trim().min(1).max(255),
    organizationId: ZId,
    /** Default MEMBER. */
    orgRole: ZOrgRole.optional(),
    teamId: ZId.optional(),
    /** Only with teamId; default MEMBER. */
    teamRole: ZTeamRole.optional(),
  })
  .refine((rule) => rule.teamRole === undefined || rule.teamId !== undefined, {
    error: "a team role needs a team",
    path: ["teamRole"],
  });

export const ZIdentityProvidersSetGroupRulesInput = z.strictObject({
  providerId: ZId,
  rules: z.array(ZGroupRuleInput).max(500),
});

export const ZIdentityProvidersSetGroupRulesOutput = z.object({
  kept: z.number().int(),
  added: z.number().int(),
  removed: z.number().int(),
});
